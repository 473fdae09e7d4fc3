#include "kms/secret_key/secret_key_provider.h"

namespace md::kms {

SecretKeyProvider::SecretKeyProvider(std::string id, std::shared_ptr<const SecretKeyRing> keys)
    : id_(std::move(id)), keys_(std::move(keys)) {}

Result<Bytes> SecretKeyProvider::WrapKey(const SecretBytes& data_key) const {
  return keys_->Encrypt(data_key.view());
}

Result<SecretBytes> SecretKeyProvider::UnwrapKey(ByteView wrapped_key) const {
  auto dek = keys_->Decrypt(wrapped_key);
  if (!dek.ok()) return dek.status().WithContext(id_ + ": cannot unwrap data key");
  return dek;
}

Result<std::unique_ptr<KeyProvider>> SecretKeyProviderFactory::Create(
    const config::ProviderSection& section, const config::Settings&) const {
  if (section.id != "secretKey.v1") {
    return InvalidArgumentError(section.id + ": the only secretKey provider is secretKey.v1");
  }
  return std::unique_ptr<KeyProvider>(new SecretKeyProvider(section.id, keys_));
}

}  // namespace md::kms
