// RAII owners for OpenSSL objects and the one place that turns the OpenSSL error queue into a
// Status (STYLE.md §5.4.7). Every EVP object in md::crypto lives in one of these.
#pragma once

#include <memory>
#include <string_view>

#include <openssl/evp.h>

#include "common/status.h"

namespace md::crypto {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Drains (and clears) the OpenSSL error queue into an Internal status "<what>: <reasons>".
Status OpenSslError(std::string_view what);

// Returns a fresh context or aborts: allocation failure is out-of-memory (STYLE.md §5.3).
CipherCtxPtr NewCipherCtx();

// The AES-256/192/128 cipher for a key length (16/24/32) and mode; nullptr for other lengths.
const EVP_CIPHER* AesCfb128ForKey(std::size_t key_size);
const EVP_CIPHER* AesGcmForKey(std::size_t key_size);

}  // namespace md::crypto
