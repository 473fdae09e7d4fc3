#include "common/secret_bytes.h"

#include <openssl/crypto.h>

namespace md {

void CleanseMemory(void* p, std::size_t n) { OPENSSL_cleanse(p, n); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  if (size() != other.size()) return false;
  return CRYPTO_memcmp(data(), other.data(), size()) == 0;
}

}  // namespace md
