#include "kms/secret_key/secret_key_provider.h"

namespace md::kms {

SecretKeyProvider::SecretKeyProvider(std::string id, SecretBytes secret_key,
                                     std::shared_ptr<const crypto::EncryptionService> cipher)
    : id_(std::move(id)), secret_key_(std::move(secret_key)), cipher_(std::move(cipher)) {}

Result<Bytes> SecretKeyProvider::WrapKey(const SecretBytes& data_key) const {
  return cipher_->Encrypt(data_key.view(), secret_key_);
}

Result<SecretBytes> SecretKeyProvider::UnwrapKey(ByteView wrapped_key) const {
  auto dek = cipher_->Decrypt(wrapped_key, secret_key_);
  if (!dek.ok()) return dek.status().WithContext(id_ + ": cannot unwrap data key");
  return dek;
}

Result<std::unique_ptr<KeyProvider>> SecretKeyProviderFactory::Create(
    const config::ProviderSection& section, const config::Settings& settings) const {
  if (section.id != "secretKey.v1") {
    return InvalidArgumentError(section.id + ": the only secretKey provider is secretKey.v1");
  }
  if (settings.security.secret_key.empty()) {
    return InvalidArgumentError("secretKey.v1: security.secret_key is empty");
  }
  return std::unique_ptr<KeyProvider>(
      new SecretKeyProvider(section.id, settings.security.secret_key, cipher_));
}

}  // namespace md::kms
