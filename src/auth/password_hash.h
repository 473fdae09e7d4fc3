// Password hashing as Grafana stores it in user.password / user.salt (pkg/util/encoding.go
// EncodePassword): hex(PBKDF2-HMAC-SHA256(password, salt, 10000 iterations, 50 bytes)), the salt
// being 10 random alphanumeric characters. Users created by Grafana log in here and vice versa.
#pragma once

#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::auth {

inline constexpr std::size_t kSaltLength = 10;
inline constexpr std::size_t kPasswordHashBytes = 50;

// A fresh random salt (kSaltLength characters of 0-9A-Za-z). Internal when the CSPRNG fails.
Result<std::string> NewSalt();

// The 100-character lower-case hex hash of the password with that salt.
Result<std::string> HashPassword(const SecretBytes& password, std::string_view salt);

// True when password hashes to `stored_hash` with `salt`; constant time in the hash comparison.
// False (never an error) for an empty or malformed stored hash.
bool PasswordMatches(const SecretBytes& password, std::string_view salt, std::string_view stored_hash);

}  // namespace md::auth
