#include "crypto/legacy_payload.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "common/encoding.h"

namespace md::crypto {
namespace {

constexpr uint8_t kAlgorithmDelimiter = '*';

// The decoded algorithm name made safe for an error message: printable ASCII, at most 40 bytes.
std::string Printable(ByteView name) {
  std::string out;
  for (std::size_t i = 0; i < name.size() && i < 40; ++i) {
    uint8_t c = name[i];
    if (c >= 0x20 && c < 0x7f && c != '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    }
  }
  if (name.size() > 40) out += "...";
  return out;
}

}  // namespace

Result<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "aes-cfb") return Algorithm::kAesCfb;
  if (name == "aes-gcm") return Algorithm::kAesGcm;
  return InvalidArgumentError("unknown encryption algorithm '" + Printable(AsBytes(name)) + "'");
}

std::string_view AlgorithmName(Algorithm algorithm) {
  return algorithm == Algorithm::kAesGcm ? "aes-gcm" : "aes-cfb";
}

std::string_view AlgorithmPrefix(Algorithm algorithm) {
  return algorithm == Algorithm::kAesGcm ? "*YWVzLWdjbQ*" : "*YWVzLWNmYg*";
}

Result<LegacyPayload> ParseLegacyPayload(ByteView value) {
  if (value.empty()) {
    return InvalidArgumentError("unable to derive encryption algorithm: empty payload");
  }
  if (value[0] != kAlgorithmDelimiter) return LegacyPayload{Algorithm::kAesCfb, value};
  for (Algorithm known : {Algorithm::kAesCfb, Algorithm::kAesGcm}) {  // fast path: exact prefixes
    std::string_view prefix = AlgorithmPrefix(known);
    if (AsString(value).starts_with(prefix)) return LegacyPayload{known, value.subspan(prefix.size())};
  }
  ByteView rest = value.subspan(1);
  auto end = std::find(rest.begin(), rest.end(), kAlgorithmDelimiter);
  if (end == rest.end()) return LegacyPayload{Algorithm::kAesCfb, rest};  // Grafana's quirk
  std::size_t name_size = static_cast<std::size_t>(end - rest.begin());
  auto name = Base64DecodeAny(AsString(rest.first(name_size)));
  if (!name.ok()) {
    return InvalidArgumentError("algorithm prefix is not valid base64: " + name.status().message());
  }
  ByteView raw = rest.subspan(name_size + 1);
  if (name->empty()) return LegacyPayload{Algorithm::kAesCfb, raw};  // "**", PR #53266
  auto algorithm = ParseAlgorithm(AsString(*name));
  if (!algorithm.ok()) {
    return InvalidArgumentError("no decipher available for algorithm '" + Printable(*name) + "'");
  }
  return LegacyPayload{*algorithm, raw};
}

Result<CfbParts> SplitCfb(ByteView raw) {
  if (raw.size() < kCfbHeaderSize) {
    return InvalidArgumentError("payload too short: AES-CFB needs at least 24 bytes, got " +
                                std::to_string(raw.size()));
  }
  return CfbParts{raw.first(8), raw.subspan(8, 16), raw.subspan(kCfbHeaderSize)};
}

Result<GcmParts> SplitGcm(ByteView raw) {
  if (raw.size() < kGcmOverhead) {
    return InvalidArgumentError("payload too short: AES-GCM needs at least 36 bytes, got " +
                                std::to_string(raw.size()));
  }
  std::size_t ct_size = raw.size() - kGcmOverhead;
  return GcmParts{raw.first(8), raw.subspan(8, 12), raw.subspan(20, ct_size),
                  raw.last(16)};
}

Result<ByteView> SaltOf(Algorithm algorithm, ByteView raw) {
  if (algorithm == Algorithm::kAesGcm) {
    ASSIGN_OR_RETURN(GcmParts parts, SplitGcm(raw));
    return parts.salt;
  }
  ASSIGN_OR_RETURN(CfbParts parts, SplitCfb(raw));
  return parts.salt;
}

}  // namespace md::crypto
