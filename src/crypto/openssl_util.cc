#include "crypto/openssl_util.h"

#include <cstdlib>
#include <string>

#include <openssl/err.h>

namespace md::crypto {

Status OpenSslError(std::string_view what) {
  std::string message(what);
  unsigned long code = 0;
  bool first = true;
  while ((code = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    message += first ? ": " : "; ";
    message += buffer;
    first = false;
  }
  ERR_clear_error();
  return InternalError(std::move(message));
}

CipherCtxPtr NewCipherCtx() {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) std::abort();
  return ctx;
}

const EVP_CIPHER* AesCfb128ForKey(std::size_t key_size) {
  switch (key_size) {
    case 16: return EVP_aes_128_cfb128();
    case 24: return EVP_aes_192_cfb128();
    case 32: return EVP_aes_256_cfb128();
    default: return nullptr;
  }
}

const EVP_CIPHER* AesGcmForKey(std::size_t key_size) {
  switch (key_size) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return nullptr;
  }
}

}  // namespace md::crypto
