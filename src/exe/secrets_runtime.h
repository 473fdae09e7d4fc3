// SecretsRuntime: the encryption objects of one process (cipher, key providers, secrets manager,
// metrics), built from Settings the same way for the server and the CLI. exe/ is the only place
// that names every provider kind (STYLE.md §5.1).
#pragma once

#include <memory>

#include "common/metrics.h"
#include "config/settings.h"
#include "crypto/encryption_service.h"
#include "kms/provider_set.h"
#include "kms/secret_key/secret_key_ring.h"
#include "secrets/secrets_manager.h"
#include "store/database.h"

namespace md::exe {

struct SecretsRuntime {
  std::shared_ptr<crypto::EncryptionService> cipher;
  std::shared_ptr<const kms::SecretKeyRing> secret_keys;  // secret_key (+ previous_secret_key)
  std::unique_ptr<kms::ProviderSet> providers;
  std::unique_ptr<secrets::SecretsManager> manager;
};

// Errors name the setting or provider at fault in one line.
Result<SecretsRuntime> BuildSecretsRuntime(const config::Settings& settings, store::Database& db,
                                           MetricsRegistry& metrics);

}  // namespace md::exe
