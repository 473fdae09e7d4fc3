// The command line (CLI11), Grafana's shape:
//   metrics-dashboard server [--config F] [--homepath D] [--configOverrides "cfg:..."] [cfg:s.k=v ...]
//   metrics-dashboard cli [--config F] [--homepath D] [--configOverrides "..."] [-d]
//       admin secrets-migration <re-encrypt|rollback|re-encrypt-data-keys|rotate-data-keys|status|verify>
//   metrics-dashboard --version | --help
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/load_options.h"

namespace md::cli {

enum class Command { kServer, kSecretsMigration };

// Flags of the secrets-migration actions (ours; Grafana's have none).
struct MigrationFlags {
  std::string output = "text";  // text | json
  bool dry_run = false;         // writing actions: decrypt and report, write nothing
  bool stale_only = false;      // re-encrypt: skip values already under the current data key
  int batch_size = 1000;
  bool no_bookkeeping = false;  // write nothing to the project's own tables (md_*)
};

struct CommandLine {
  Command command = Command::kServer;
  std::string action;           // kSecretsMigration: "re-encrypt", "status", ...
  MigrationFlags migration;
  config::LoadOptions options;  // homepath, config_file, overrides; environment left empty
};

// One `admin secrets-migration` subcommand and its usage line.
struct SecretsMigrationAction {
  const char* name;
  const char* usage;
};
const std::vector<SecretsMigrationAction>& SecretsMigrationActions();

// Parses argv. On --help, --version or a usage error, prints what CLI11 prints and returns the
// exit code in exit_code (0 for help/version, 2 for usage errors) with no CommandLine.
struct ParseOutcome {
  std::optional<CommandLine> command_line;
  int exit_code = 0;
};
ParseOutcome ParseCommandLine(int argc, const char* const* argv, const std::string& version);

}  // namespace md::cli
