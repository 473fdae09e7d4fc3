// SecretsMigrator: the operator's commands over every secret-bearing column (§4.3-4.4):
//   ReEncrypt  decrypt each value (either format) and encrypt it with the current DEK
//   Rollback   decrypt each value and encrypt it in legacy format with secret_key; delete
//              data_keys only when every value was converted
//   Verify     decrypt every value, write nothing
// Legacy values are written through SecretsManager::EncryptLegacy, so during a secret_key
// rotation they are AES-GCM under the new key (kms/secret_key/secret_key_ring.h).
// Writing commands take the database's operation lock and refuse to run when the key check
// fails (a wrong key would turn every secret into garbage for good).
#pragma once

#include <memory>

#include "operations/operation_lock.h"
#include "operations/progress.h"
#include "operations/report.h"
#include "operations/table_walker.h"
#include "secrets/secrets_manager.h"

namespace md::operations {

struct RunOptions {
  bool dry_run = false;
  bool stale_only = false;  // re-encrypt: skip values already under the current DEK
  int batch_size = 1000;
  // false: no operation lock and no recorded key check (md_* tables are neither created nor
  // written); the plausibility check still guards writes.
  bool bookkeeping = true;
};

class SecretsMigrator {
 public:
  SecretsMigrator(store::Database& db, secrets::SecretsManager& manager, Progress& progress);

  Result<Report> ReEncrypt(const RunOptions& options);
  Result<Report> Rollback(const RunOptions& options);
  Result<Report> Verify(const RunOptions& options);
  Result<Report> ReEncryptDataKeys(const RunOptions& options);
  Result<Report> RotateDataKeys(const RunOptions& options);

 private:
  // Runs `transform` over every column; the lock and key check are the caller's.
  Report WalkAll(const std::string& operation, const RunOptions& options,
                 const std::function<ValueTransform(const SecretColumn&)>& transform_for);
  // Takes the operation lock (unless options.bookkeeping is off) and runs the key check.
  Result<std::unique_ptr<OperationLock>> PrepareToWrite(const std::string& operation,
                                                        const RunOptions& options);

  store::Database& db_;
  secrets::SecretsManager& manager_;
  Progress& progress_;
};

}  // namespace md::operations
