#include "operations/secrets_migrator.h"

#include "crypto/envelope_format.h"
#include "secrets/key_check.h"

namespace md::operations {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

SecretsMigrator::SecretsMigrator(store::Database& db, secrets::SecretsManager& manager, Progress& progress)
    : db_(db), manager_(manager), progress_(progress) {}

Result<std::unique_ptr<OperationLock>> SecretsMigrator::PrepareToWrite(const std::string& operation,
                                                                       const RunOptions& options) {
  std::unique_ptr<OperationLock> lock;
  if (options.bookkeeping) {
    ASSIGN_OR_RETURN(lock, OperationLock::Acquire(db_, operation));
  }
  auto checked = secrets::KeyCheck(db_, manager_, options.bookkeeping).Run();
  if (!checked.ok()) return checked.status();
  if (Status s = manager_.WritesAllowed(); !s.ok()) return s;
  return lock;
}

Report SecretsMigrator::WalkAll(const std::string& operation, const RunOptions& options,
                                const std::function<ValueTransform(const SecretColumn&)>& transform_for) {
  auto start = std::chrono::steady_clock::now();
  Report report;
  report.operation = operation;
  report.dry_run = options.dry_run;
  TableWalker walker(db_, WalkOptions{options.batch_size, options.dry_run, 0}, &progress_);
  int64_t total = 0;
  for (const auto& column : SecretColumns()) total += walker.CountRows(column);
  progress_.Start(operation, total);
  for (const auto& column : SecretColumns()) {
    report.columns.push_back(walker.Walk(column, transform_for(column), report.failures));
  }
  progress_.Finish();
  report.seconds = SecondsSince(start);
  return report;
}

Result<Report> SecretsMigrator::ReEncrypt(const RunOptions& options) {
  ASSIGN_OR_RETURN(auto lock, PrepareToWrite("re-encrypt", options));
  if (manager_.envelope_enabled()) {
    auto session = db_.Lease();
    if (!db_.TableExists(*session, "data_keys")) {
      return FailedPreconditionError(
          "this database has no data_keys table (it was written before Grafana 8.3), so values cannot "
          "be moved to envelope encryption; upgrade it with Grafana 9 or later first, or re-encrypt in "
          "legacy format with [feature_toggles] enable = disableEnvelopeEncryption");
    }
  }
  std::string current_id;
  if (options.stale_only && manager_.envelope_enabled()) {
    ASSIGN_OR_RETURN(current_id, manager_.CurrentDataKeyId());
  }
  return WalkAll("re-encrypt", options, [&](const SecretColumn& column) -> ValueTransform {
    return [&, legacy = column.legacy_only](ByteView blob) -> Result<std::optional<Bytes>> {
      if (!current_id.empty() && !legacy && crypto::IsEnvelope(blob)) {
        auto parts = crypto::ParseEnvelope(blob);
        if (parts.ok() && parts->key_id == current_id) return std::optional<Bytes>();
      }
      ASSIGN_OR_RETURN(SecretBytes plain, manager_.Decrypt(blob));
      if (legacy) {
        ASSIGN_OR_RETURN(Bytes out, manager_.EncryptLegacy(plain.view()));
        return std::optional<Bytes>(std::move(out));
      }
      ASSIGN_OR_RETURN(Bytes out, manager_.Encrypt(plain.view()));
      return std::optional<Bytes>(std::move(out));
    };
  });
}

Result<Report> SecretsMigrator::Rollback(const RunOptions& options) {
  ASSIGN_OR_RETURN(auto lock, PrepareToWrite("rollback", options));
  Report report = WalkAll("rollback", options, [&](const SecretColumn&) -> ValueTransform {
    return [&](ByteView blob) -> Result<std::optional<Bytes>> {
      ASSIGN_OR_RETURN(SecretBytes plain, manager_.Decrypt(blob));
      ASSIGN_OR_RETURN(Bytes out, manager_.EncryptLegacy(plain.view()));
      return std::optional<Bytes>(std::move(out));
    };
  });
  if (!report.ok()) {
    report.notes.push_back("data_keys kept: " + std::to_string(report.failures.size()) +
                           " values are not in legacy format yet, and they still need their data keys");
  } else if (options.dry_run) {
    report.notes.push_back("data_keys would be deleted");
  } else if (!db_.TableExists(*db_.Lease(), "data_keys")) {
    report.notes.push_back("every secret is in legacy format (this database has no data_keys table)");
  } else {
    Status deleted = db_.InTransaction([](soci::session& session) -> Status {
      session << "DELETE FROM data_keys";
      return OkStatus();
    });
    report.notes.push_back(deleted.ok() ? "data_keys deleted: every secret is in legacy format"
                                        : "data_keys could not be deleted: " + deleted.message());
    if (!deleted.ok()) report.failures.push_back({"data_keys", "", "", deleted.message()});
  }
  return report;
}

Result<Report> SecretsMigrator::Verify(const RunOptions& options) {
  RunOptions read_only = options;
  read_only.dry_run = true;
  // With AES-CFB a wrong key decrypts to garbage without an error: the key check is what tells.
  auto key = secrets::KeyCheck(db_, manager_, options.bookkeeping, /*record=*/false).Run();
  if (!key.ok() && key.status().code() != StatusCode::kFailedPrecondition) return key.status();
  Report report = WalkAll("verify", read_only, [&](const SecretColumn&) -> ValueTransform {
    return [&](ByteView blob) -> Result<std::optional<Bytes>> {
      ASSIGN_OR_RETURN(SecretBytes plain, manager_.Decrypt(blob));
      (void)plain;
      return std::optional<Bytes>();
    };
  });
  if (!key.ok()) report.failures.push_back({"", "", "", key.status().message()});
  return report;
}

Result<Report> SecretsMigrator::ReEncryptDataKeys(const RunOptions& options) {
  ASSIGN_OR_RETURN(auto lock, PrepareToWrite("re-encrypt-data-keys", options));
  auto start = std::chrono::steady_clock::now();
  Report report;
  report.operation = "re-encrypt-data-keys";
  report.dry_run = options.dry_run;
  ColumnReport column{"data_keys", "encrypted_data"};
  if (options.dry_run) {
    ASSIGN_OR_RETURN(auto rows, manager_.store().List());
    column.seen = column.changed = static_cast<int64_t>(rows.size());
  } else {
    ASSIGN_OR_RETURN(secrets::ReEncryptDataKeysResult result, manager_.ReEncryptDataKeys());
    column.seen = result.total;
    column.changed = result.reencrypted;
    column.failed = static_cast<int64_t>(result.failures.size());
    for (const auto& f : result.failures) report.failures.push_back({"data_keys", "encrypted_data", f.id, f.reason});
  }
  report.columns.push_back(column);
  report.seconds = SecondsSince(start);
  return report;
}

Result<Report> SecretsMigrator::RotateDataKeys(const RunOptions& options) {
  ASSIGN_OR_RETURN(auto lock, PrepareToWrite("rotate-data-keys", options));
  Report report;
  report.operation = "rotate-data-keys";
  report.dry_run = options.dry_run;
  ASSIGN_OR_RETURN(auto rows, manager_.store().List());
  ColumnReport column{"data_keys", "active"};
  for (const auto& row : rows) {
    ++column.seen;
    row.active ? ++column.changed : ++column.skipped;
  }
  if (!options.dry_run) {
    Status s = manager_.RotateDataKeys();
    if (!s.ok()) return s;
  }
  report.columns.push_back(column);
  return report;
}

}  // namespace md::operations
