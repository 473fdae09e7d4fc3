// KeyProvider: a key encryption key (KEK) that wraps and unwraps data keys (DEKs).
// The provider id is "<kind>.<name>" (e.g. "secretKey.v1", "awskms.prod"); it is what
// data_keys.provider holds. Implementations are thread-safe and never log key material.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "config/settings.h"

namespace md::kms {

class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  virtual const std::string& Id() const = 0;
  // KEK-encrypts a DEK; the result is stored as data_keys.encrypted_data.
  // Unavailable = retryable (KMS down), other codes are permanent.
  virtual Result<Bytes> WrapKey(const SecretBytes& data_key) const = 0;
  // Reverses WrapKey. InvalidArgument/DataLoss = bad blob or wrong key; Unavailable = retryable.
  virtual Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const = 0;
};

// Builds the providers of one kind ("secretKey", "awskms", ...) from their config section.
class ProviderFactory {
 public:
  virtual ~ProviderFactory() = default;
  virtual std::string_view Kind() const = 0;
  // section.id is "<kind>.<name>"; section.keys are the raw INI keys of
  // [security.encryption.<kind>.<name>]. A bad or incomplete section is InvalidArgument with a
  // message naming the provider and the key; an unreachable service at start-up is Unavailable.
  virtual Result<std::unique_ptr<KeyProvider>> Create(const config::ProviderSection& section,
                                                      const config::Settings& settings) const = 0;
};

// "secretKey" -> "secretKey.v1" (grafana-formats.md §3.6); other ids unchanged.
std::string NormalizeProviderId(std::string_view id);
// Splits on the first '.'; InvalidArgument when there is none.
Result<std::string> ProviderKind(std::string_view id);

}  // namespace md::kms
