// Parsing and layout of legacy-cipher values (docs/formats.md §1; grafana-formats.md §1.4-1.6):
//
//   value   := [ '*' RawStdBase64(algorithm) '*' ] raw
//   raw CFB := salt[8] iv[16] ciphertext[n]              (n >= 0, so len >= 24)
//   raw GCM := salt[8] nonce[12] ciphertext[n] tag[16]   (n >= 0, so len >= 36)
//
// All views returned point into the caller's buffer; nothing is copied and nothing is read
// outside it.
#pragma once

#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "crypto/algorithm.h"

namespace md::crypto {

inline constexpr std::size_t kCfbHeaderSize = 8 + 16;
inline constexpr std::size_t kGcmOverhead = 8 + 12 + 16;

struct LegacyPayload {
  Algorithm algorithm;
  ByteView raw;  // salt onwards
};

// Algorithm selection of grafana-formats.md §1.6: no '*' -> aes-cfb on the whole value; '*'
// without a closing '*' -> aes-cfb on the value minus its first byte; "**" -> aes-cfb.
// Errors (InvalidArgument): empty value, prefix not base64, unknown algorithm.
Result<LegacyPayload> ParseLegacyPayload(ByteView value);

// "*YWVzLWNmYg*" or "*YWVzLWdjbQ*".
std::string_view AlgorithmPrefix(Algorithm algorithm);

struct CfbParts {
  ByteView salt, iv, ciphertext;
};
struct GcmParts {
  ByteView salt, nonce, ciphertext, tag;
};

// Errors: InvalidArgument "payload too short" below 24 (CFB) / 36 (GCM) bytes.
Result<CfbParts> SplitCfb(ByteView raw);
Result<GcmParts> SplitGcm(ByteView raw);

// The 8-byte salt of a raw payload of either algorithm, after the length check of Split*.
Result<ByteView> SaltOf(Algorithm algorithm, ByteView raw);

}  // namespace md::crypto
