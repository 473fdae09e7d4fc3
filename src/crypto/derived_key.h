// One AES-256 key derived from (secret, salt), with pools of keyed OpenSSL contexts so the key
// schedule is computed once per context rather than once per value. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "crypto/aes_modes.h"

namespace md::crypto {

class DerivedKey {
 public:
  // A keyed context borrowed for one operation; goes back to its pool when destroyed.
  // REQUIRES: does not outlive the DerivedKey it came from.
  class Lease {
   public:
    Lease(const DerivedKey* owner, AesMode mode, CipherCtxPtr ctx)
        : owner_(owner), mode_(mode), ctx_(std::move(ctx)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    EVP_CIPHER_CTX* get() const { return ctx_.get(); }

   private:
    const DerivedKey* owner_;
    AesMode mode_;
    CipherCtxPtr ctx_;
  };

  // PBKDF2-HMAC-SHA256(secret, salt, 10000, 32). Errors: Internal if OpenSSL fails.
  static Result<std::shared_ptr<const DerivedKey>> Derive(ByteView secret, ByteView salt);
  // Wraps an already derived 32-byte key (tests, benchmarks).
  explicit DerivedKey(SecretBytes key) : key_(std::move(key)) {}

  // A context keyed for `mode`, from the pool or newly keyed. Errors: Internal.
  Result<Lease> Borrow(AesMode mode) const;

 private:
  static constexpr std::size_t kMaxPooled = 8;
  void Return(AesMode mode, CipherCtxPtr ctx) const;

  SecretBytes key_;
  mutable std::mutex mu_;
  mutable std::vector<CipherCtxPtr> pools_[2];  // Guarded by mu_; indexed by AesMode.
};

}  // namespace md::crypto
