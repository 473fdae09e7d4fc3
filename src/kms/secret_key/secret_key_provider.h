// secretKey.v1: the default KEK, the legacy cipher keyed by [security] secret_key
// (grafana-formats.md §3.6). A wrapped DEK is a §1.6 blob of the 16 DEK bytes (52 bytes with CFB).
// With CFB, unwrapping under a wrong secret_key yields garbage, not an error: the key check
// (secrets/key_check.h) is what catches a wrong key.
#pragma once

#include <memory>

#include "crypto/encryption_service.h"
#include "kms/key_provider.h"

namespace md::kms {

class SecretKeyProvider : public KeyProvider {
 public:
  SecretKeyProvider(std::string id, SecretBytes secret_key,
                    std::shared_ptr<const crypto::EncryptionService> cipher);

  const std::string& Id() const override { return id_; }
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

 private:
  std::string id_;
  SecretBytes secret_key_;
  std::shared_ptr<const crypto::EncryptionService> cipher_;
};

class SecretKeyProviderFactory : public ProviderFactory {
 public:
  explicit SecretKeyProviderFactory(std::shared_ptr<const crypto::EncryptionService> cipher)
      : cipher_(std::move(cipher)) {}
  std::string_view Kind() const override { return "secretKey"; }
  Result<std::unique_ptr<KeyProvider>> Create(const config::ProviderSection& section,
                                              const config::Settings& settings) const override;

 private:
  std::shared_ptr<const crypto::EncryptionService> cipher_;
};

}  // namespace md::kms
