// Test fixture pieces shared by the secrets tests: a migrated database per dialect and managers
// built on it the way exe/ builds them.
#pragma once

#include <memory>
#include <string>

#include "common/metrics.h"
#include "kms/provider_set.h"
#include "kms/secret_key/secret_key_provider.h"
#include "secrets/secrets_manager.h"
#include "store/database.h"
#include "store/migrator.h"

namespace md::secrets {

inline const char kDefaultSecretKey[] = "SW2YcwTIb9zpOOhoPsMm";

// One process's worth of objects: its own pool, providers and manager over a shared database.
struct TestProcess {
  std::unique_ptr<store::Database> db;
  std::shared_ptr<crypto::EncryptionService> cipher;
  std::unique_ptr<kms::ProviderSet> providers;
  MetricsRegistry metrics;
  std::unique_ptr<SecretsManager> manager;
};

// The [security] keys and algorithm of a test process.
struct ProcessKeys {
  std::string secret_key = kDefaultSecretKey;
  std::string previous_secret_key;  // non-empty: a secret_key rotation is under way
  crypto::Algorithm algorithm = crypto::Algorithm::kAesCfb;
};

inline std::unique_ptr<TestProcess> StartProcess(const config::DatabaseSettings& database,
                                                 const ProcessKeys& keys,
                                                 SecretsManagerOptions options = {},
                                                 bool migrate = true) {
  auto p = std::make_unique<TestProcess>();
  auto db = store::Database::Open(database);
  if (!db.ok()) return nullptr;
  p->db = std::move(db).value();
  if (!(migrate ? store::Migrate(*p->db) : store::EnsureOwnTables(*p->db)).ok()) return nullptr;
  p->cipher = std::make_shared<crypto::EncryptionService>(keys.algorithm);
  auto ring = kms::SecretKeyRing::New(SecretBytes(std::string_view(keys.secret_key)),
                                      SecretBytes(std::string_view(keys.previous_secret_key)), p->cipher);
  if (!ring.ok()) return nullptr;
  kms::ProviderRegistry registry;
  if (!registry.Add(std::make_unique<kms::SecretKeyProviderFactory>(*ring)).ok()) return nullptr;
  auto providers = registry.Build(config::Settings{});
  if (!providers.ok()) return nullptr;
  p->providers = std::make_unique<kms::ProviderSet>(std::move(providers).value());
  p->manager = std::make_unique<SecretsManager>(*p->db, p->cipher, *p->providers, *ring, options, p->metrics);
  return p;
}

inline std::unique_ptr<TestProcess> StartProcess(const config::DatabaseSettings& database,
                                                 std::string secret_key = kDefaultSecretKey,
                                                 SecretsManagerOptions options = {},
                                                 bool migrate = true) {
  ProcessKeys keys;
  keys.secret_key = std::move(secret_key);
  return StartProcess(database, keys, options, migrate);
}

}  // namespace md::secrets
