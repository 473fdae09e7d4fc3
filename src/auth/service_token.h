// Service-account tokens in Grafana's format (pkg/components/satokengen):
//   glsa_<32 random characters of 0-9A-Za-z>_<crc32 (IEEE) of "glsa_<secret>" as 8 hex digits>
// The token is shown once at creation; api_key.key stores only TokenHash(token).
#pragma once

#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::auth {

inline constexpr std::string_view kTokenPrefix = "glsa_";
inline constexpr std::size_t kTokenSecretLength = 32;

// A new random token. Internal when the CSPRNG fails.
Result<SecretBytes> NewServiceToken();

// True when the text has the token shape and its checksum matches (a cheap filter before the
// database lookup; typos and truncations are refused without a query).
bool IsWellFormedToken(std::string_view token);

// What api_key.key holds: lower-case hex SHA-256 of the whole token.
std::string TokenHash(std::string_view token);

// CRC-32 (IEEE 802.3, as Go's crc32.ChecksumIEEE and zlib's crc32).
uint32_t Crc32(std::string_view data);

}  // namespace md::auth
