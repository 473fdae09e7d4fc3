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

inline std::unique_ptr<TestProcess> StartProcess(const config::DatabaseSettings& database,
                                                 std::string secret_key = kDefaultSecretKey,
                                                 SecretsManagerOptions options = {},
                                                 bool migrate = true) {
  auto p = std::make_unique<TestProcess>();
  auto db = store::Database::Open(database);
  if (!db.ok()) return nullptr;
  p->db = std::move(db).value();
  if (!(migrate ? store::Migrate(*p->db) : store::EnsureOwnTables(*p->db)).ok()) return nullptr;
  p->cipher = std::make_shared<crypto::EncryptionService>(crypto::Algorithm::kAesCfb);
  config::Settings settings;
  settings.security.secret_key = SecretBytes(std::string_view(secret_key));
  kms::ProviderRegistry registry;
  if (!registry.Add(std::make_unique<kms::SecretKeyProviderFactory>(p->cipher)).ok()) return nullptr;
  auto providers = registry.Build(settings);
  if (!providers.ok()) return nullptr;
  p->providers = std::make_unique<kms::ProviderSet>(std::move(providers).value());
  p->manager = std::make_unique<SecretsManager>(*p->db, p->cipher, *p->providers,
                                                settings.security.secret_key, options, p->metrics);
  return p;
}

}  // namespace md::secrets
