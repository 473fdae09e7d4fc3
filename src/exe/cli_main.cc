#include "exe/cli_main.h"

#include <unistd.h>

#include <iostream>

#include "cli/progress_printer.h"
#include "config/settings_loader.h"
#include "exe/secrets_runtime.h"
#include "exe/server_main.h"
#include "operations/inventory.h"
#include "operations/secrets_migrator.h"
#include "store/migrator.h"

namespace md::exe {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int Fail(const Status& status, int code) {
  std::cerr << "Error: \u2717 " << status.message() << std::endl;
  return code;
}

Result<operations::Report> RunAction(const std::string& action, operations::SecretsMigrator& migrator,
                                     const operations::RunOptions& options) {
  if (action == "re-encrypt") return migrator.ReEncrypt(options);
  if (action == "rollback") return migrator.Rollback(options);
  if (action == "re-encrypt-data-keys") return migrator.ReEncryptDataKeys(options);
  if (action == "rotate-data-keys") return migrator.RotateDataKeys(options);
  if (action == "verify") return migrator.Verify(options);
  return InvalidArgumentError("unknown action " + action);
}

int PrintInventory(store::Database& db, const config::Settings& settings, const SecretsRuntime& runtime,
                   const cli::MigrationFlags& flags, operations::Progress& progress) {
  Result<operations::Inventory> inventory = [&] {
    cli::ProgressPrinter printer(progress, isatty(STDERR_FILENO));
    return operations::TakeInventory(db, *runtime.providers, *runtime.secret_keys,
                                     settings.security.secret_key_is_default, &progress);
  }();
  if (!inventory.ok()) return Fail(inventory.status(), kExitFailed);
  std::cout << (flags.output == "json" ? inventory->ToJson().dump(2) + "\n" : inventory->ToText());
  return inventory->values_with_missing_data_key > 0 ? kExitFailed : 0;
}

}  // namespace

int RunSecretsMigration(const cli::CommandLine& line) {
  auto settings = config::LoadSettings(line.options);
  if (!settings.ok()) return Fail(settings.status(), kExitUsage);
  auto db = store::Database::Open(settings->database);
  if (!db.ok()) return Fail(db.status(), kExitFailed);
  if (!line.migration.no_bookkeeping) {
    if (Status s = store::EnsureOwnTables(**db); !s.ok()) return Fail(s, kExitFailed);
  }
  MetricsRegistry metrics;
  auto runtime = BuildSecretsRuntime(*settings, **db, metrics);
  if (!runtime.ok()) return Fail(runtime.status(), kExitUsage);
  operations::Progress progress;
  if (line.action == "status") return PrintInventory(**db, *settings, *runtime, line.migration, progress);

  operations::SecretsMigrator migrator(**db, *runtime->manager, progress);
  operations::RunOptions options{line.migration.dry_run, line.migration.stale_only, line.migration.batch_size,
                                 !line.migration.no_bookkeeping};
  Result<operations::Report> report = [&] {
    cli::ProgressPrinter printer(progress, isatty(STDERR_FILENO));
    return RunAction(line.action, migrator, options);
  }();
  if (!report.ok()) return Fail(report.status(), kExitFailed);
  std::cout << (line.migration.output == "json" ? report->ToJson().dump(2) + "\n" : report->ToText());
  return report->ok() ? 0 : kExitFailed;
}

}  // namespace md::exe
