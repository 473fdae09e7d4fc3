#include "crypto/derived_key.h"

#include "crypto/pbkdf2.h"

namespace md::crypto {

DerivedKey::Lease::~Lease() {
  if (ctx_) owner_->Return(mode_, std::move(ctx_));
}

Result<std::shared_ptr<const DerivedKey>> DerivedKey::Derive(ByteView secret, ByteView salt) {
  ASSIGN_OR_RETURN(SecretBytes key, DeriveGrafanaKey(secret, salt));
  return std::shared_ptr<const DerivedKey>(std::make_shared<DerivedKey>(std::move(key)));
}

Result<DerivedKey::Lease> DerivedKey::Borrow(AesMode mode) const {
  std::size_t index = static_cast<std::size_t>(mode);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pools_[index].empty()) {
      CipherCtxPtr ctx = std::move(pools_[index].back());
      pools_[index].pop_back();
      return Lease(this, mode, std::move(ctx));
    }
  }
  ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewKeyedContext(mode, key_.view()));
  return Lease(this, mode, std::move(ctx));
}

void DerivedKey::Return(AesMode mode, CipherCtxPtr ctx) const {
  std::size_t index = static_cast<std::size_t>(mode);
  std::lock_guard<std::mutex> lock(mu_);
  // Freed contexts are wiped by OpenSSL (EVP_CIPHER_CTX_free clears the key schedule).
  if (pools_[index].size() < kMaxPooled) pools_[index].push_back(std::move(ctx));
}

}  // namespace md::crypto
