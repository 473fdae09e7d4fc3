#include "crypto/pbkdf2.h"

#include <climits>

#include <openssl/evp.h>

#include "crypto/openssl_util.h"

namespace md::crypto {

Result<SecretBytes> Pbkdf2HmacSha256(ByteView password, ByteView salt, uint32_t iterations,
                                     std::size_t length) {
  if (iterations == 0 || iterations > INT_MAX || length == 0 || length > INT_MAX ||
      password.size() > INT_MAX || salt.size() > INT_MAX) {
    return InvalidArgumentError("PBKDF2 needs iterations >= 1 and a non-empty output");
  }
  SecretBytes out(length);
  // OpenSSL reads `password` with the explicit length, so NUL bytes are kept.
  static const uint8_t kEmpty = 0;
  const char* pass =
      reinterpret_cast<const char*>(password.empty() ? &kEmpty : password.data());
  const uint8_t* salt_ptr = salt.empty() ? &kEmpty : salt.data();
  if (PKCS5_PBKDF2_HMAC(pass, static_cast<int>(password.size()), salt_ptr,
                        static_cast<int>(salt.size()), static_cast<int>(iterations),
                        EVP_sha256(), static_cast<int>(length), out.data()) != 1) {
    return OpenSslError("PBKDF2-HMAC-SHA256");
  }
  return out;
}

Result<SecretBytes> DeriveGrafanaKey(ByteView secret, ByteView salt) {
  return Pbkdf2HmacSha256(secret, salt, kGrafanaPbkdf2Iterations, kAesKeySize);
}

}  // namespace md::crypto
