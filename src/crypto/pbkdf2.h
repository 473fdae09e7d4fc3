// PBKDF2-HMAC-SHA256 (RFC 8018) and the Grafana key derivation built on it (docs/formats.md §1).
#pragma once

#include <cstdint>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::crypto {

inline constexpr uint32_t kGrafanaPbkdf2Iterations = 10000;
inline constexpr std::size_t kAesKeySize = 32;
inline constexpr std::size_t kSaltSize = 8;

// `length` bytes of PBKDF2-HMAC-SHA256(password, salt, iterations). The password is raw bytes
// (it may hold NULs). Errors: InvalidArgument for iterations == 0 or length == 0.
Result<SecretBytes> Pbkdf2HmacSha256(ByteView password, ByteView salt, uint32_t iterations,
                                     std::size_t length);

// The AES-256 key Grafana uses: PBKDF2-HMAC-SHA256(secret, salt, 10000, 32).
Result<SecretBytes> DeriveGrafanaKey(ByteView secret, ByteView salt);

}  // namespace md::crypto
