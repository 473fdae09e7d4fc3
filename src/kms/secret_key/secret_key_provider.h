// secretKey.v1: the default KEK, the legacy cipher keyed by [security] secret_key
// (grafana-formats.md §3.6). A wrapped DEK is a §1.6 blob of the 16 DEK bytes (52 bytes with CFB).
// Wrapping and unwrapping go through the SecretKeyRing, so during a secret_key rotation new
// wrappings are AES-GCM under the new key and older ones are read with previous_secret_key.
// With CFB, unwrapping under a wrong secret_key yields garbage, not an error: the key check
// (secrets/key_check.h) is what catches a wrong key.
#pragma once

#include <memory>

#include "kms/key_provider.h"
#include "kms/secret_key/secret_key_ring.h"

namespace md::kms {

class SecretKeyProvider : public KeyProvider {
 public:
  SecretKeyProvider(std::string id, std::shared_ptr<const SecretKeyRing> keys);

  const std::string& Id() const override { return id_; }
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

 private:
  std::string id_;
  std::shared_ptr<const SecretKeyRing> keys_;
};

// Builds secretKey.v1 over the ring built once in exe/ from [security] secret_key and
// previous_secret_key (the same ring the secrets manager uses for legacy values).
class SecretKeyProviderFactory : public ProviderFactory {
 public:
  explicit SecretKeyProviderFactory(std::shared_ptr<const SecretKeyRing> keys) : keys_(std::move(keys)) {}
  std::string_view Kind() const override { return "secretKey"; }
  Result<std::unique_ptr<KeyProvider>> Create(const config::ProviderSection& section,
                                              const config::Settings& settings) const override;

 private:
  std::shared_ptr<const SecretKeyRing> keys_;
};

}  // namespace md::kms
