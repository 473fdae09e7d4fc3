#include "auth/service_token.h"

#include <openssl/sha.h>

#include <array>
#include <cstdio>

#include "common/encoding.h"
#include "crypto/secure_random.h"

namespace md::auth {
namespace {

std::string ChecksumHex(std::string_view prefixed_secret) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", Crc32(prefixed_secret));
  return std::string(buf, 8);
}

bool IsAlphanumeric(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<uint8_t>(ch);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  }
  return ~crc;
}

Result<SecretBytes> NewServiceToken() {
  SecretBytes secret(kTokenSecretLength);
  if (Status s = crypto::RandomAlphanumeric(std::span<uint8_t>(secret.data(), secret.size())); !s.ok()) {
    return s;
  }
  std::string prefixed = std::string(kTokenPrefix) + secret.InsecureString();
  std::string token = prefixed + "_" + ChecksumHex(prefixed);
  SecretBytes out(std::string_view{token});
  CleanseMemory(prefixed.data(), prefixed.size());
  CleanseMemory(token.data(), token.size());
  return out;
}

bool IsWellFormedToken(std::string_view token) {
  const std::size_t body = kTokenPrefix.size() + kTokenSecretLength;
  if (token.size() != body + 1 + 8 || token.substr(0, kTokenPrefix.size()) != kTokenPrefix ||
      token[body] != '_') {
    return false;
  }
  for (char c : token.substr(kTokenPrefix.size(), kTokenSecretLength)) {
    if (!IsAlphanumeric(c)) {
      return false;
    }
  }
  return ChecksumHex(token.substr(0, body)) == token.substr(body + 1);
}

std::string TokenHash(std::string_view token) {
  std::array<uint8_t, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const uint8_t*>(token.data()), token.size(), digest.data());
  return HexEncode(digest);
}

}  // namespace md::auth
