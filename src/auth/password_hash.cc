#include "auth/password_hash.h"

#include <openssl/crypto.h>

#include "common/encoding.h"
#include "crypto/pbkdf2.h"
#include "crypto/secure_random.h"

namespace md::auth {

Result<std::string> NewSalt() {
  std::string salt(kSaltLength, '\0');
  std::span<uint8_t> out(reinterpret_cast<uint8_t*>(salt.data()), salt.size());
  if (Status s = crypto::RandomAlphanumeric(out); !s.ok()) {
    return s;
  }
  return salt;
}

Result<std::string> HashPassword(const SecretBytes& password, std::string_view salt) {
  ASSIGN_OR_RETURN(SecretBytes key, crypto::Pbkdf2HmacSha256(password.view(), AsBytes(salt),
                                                             crypto::kGrafanaPbkdf2Iterations,
                                                             kPasswordHashBytes));
  return HexEncode(key.view());
}

bool PasswordMatches(const SecretBytes& password, std::string_view salt, std::string_view stored_hash) {
  if (stored_hash.size() != 2 * kPasswordHashBytes) {
    return false;
  }
  Result<std::string> computed = HashPassword(password, salt);
  if (!computed.ok()) {
    return false;
  }
  // Grafana writes lower-case hex; compare case-insensitively without branching on the data.
  std::string stored(stored_hash);
  for (char& c : stored) {
    c = static_cast<char>(c | ((c >= 'A' && c <= 'F') ? 0x20 : 0));
  }
  return CRYPTO_memcmp(computed->data(), stored.data(), stored.size()) == 0;
}

}  // namespace md::auth
