// The admin encryption API (PRODUCT.md §3.5, grafana-formats.md §5), server admins only:
//   POST /api/admin/encryption/reencrypt-secrets | rollback-secrets | reencrypt-data-keys |
//        rotate-data-keys   -> 200 {"message", "report"}; 206 when some rows failed;
//                              500 {"message": Grafana's failure text}; 409 when another runs
//   GET  /api/admin/encryption/status -> the inventory JSON plus "progress" of a running operation
// Operations run synchronously inside the request (a long re-encrypt holds the connection open;
// GET .../status from another connection shows its progress). One operation at a time: in this
// process by a mutex, across processes by the database's operation lock.
#pragma once

#include <memory>
#include <mutex>

#include "api/auth_guard.h"
#include "api/router.h"
#include "kms/provider_set.h"
#include "logging/logger.h"
#include "operations/progress.h"
#include "operations/secrets_migrator.h"
#include "secrets/secrets_manager.h"
#include "store/database.h"

namespace md::api {

struct AdminEncryptionDeps {
  store::Database& db;
  secrets::SecretsManager& manager;
  const kms::ProviderSet& providers;
  bool default_secret_key = false;
  const logging::Logger& logger;
};

// Owns the Progress shared by the operations and the status endpoint. Thread-safe.
class AdminEncryption {
 public:
  explicit AdminEncryption(AdminEncryptionDeps deps) : deps_(std::move(deps)) {}

  using Action = Result<operations::Report> (operations::SecretsMigrator::*)(const operations::RunOptions&);
  // AlreadyExists when an operation is running (here or, via the lock, in another process).
  Result<operations::Report> Run(Action action);
  // The inventory JSON with a "progress" object.
  Result<nlohmann::json> Status();
  const logging::Logger& logger() const { return deps_.logger; }

 private:
  AdminEncryptionDeps deps_;
  operations::Progress progress_;
  std::mutex run_mu_;  // held while an operation runs
};

// REQUIRES: auth and admin outlive the router.
void RegisterAdminEncryptionRoutes(Router& router, const Authenticator& auth, AdminEncryption& admin);

}  // namespace md::api
