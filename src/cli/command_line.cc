#include "cli/command_line.h"

#include <CLI/CLI.hpp>

namespace md::cli {
namespace {

// The flags `server` and `cli` share (grafana-formats.md §6).
struct ConfigFlags {
  std::string config;
  std::string homepath;
  std::string overrides;
  std::vector<std::string> trailing;
  bool debug = false;
};

void AddConfigFlags(CLI::App& app, ConfigFlags& flags) {
  app.add_option("--config", flags.config,
                 "Configuration file (default: conf/custom.ini under the home path, if present)")
      ->option_text("FILE");
  app.add_option("--homepath", flags.homepath,
                 "Home path: conf/defaults.ini is read from it (default: current directory)")
      ->option_text("DIR");
  app.add_option("--configOverrides", flags.overrides,
                 "Space-separated overrides, e.g. \"cfg:server.http_port=3001 cfg:log.level=debug\"")
      ->option_text("\"cfg:section.key=value ...\"");
}

void AddTrailingOverrides(CLI::App& app, ConfigFlags& flags) {
  app.add_option("overrides", flags.trailing,
                 "Overrides cfg:section.key=value (cfg:default.section.key=value sets a default)")
      ->option_text("cfg:section.key=value ...");
}

config::LoadOptions ToLoadOptions(const ConfigFlags& flags) {
  config::LoadOptions options;
  options.homepath = flags.homepath;
  options.config_file = flags.config;
  options.overrides = config::SplitOverrides(flags.overrides);
  options.overrides.insert(options.overrides.end(), flags.trailing.begin(), flags.trailing.end());
  if (flags.debug) {
    options.overrides.push_back("cfg:log.level=debug");
  }
  return options;
}

void AddMigrationFlags(CLI::App& leaf, const std::string& name, MigrationFlags& flags) {
  leaf.add_option("--output", flags.output, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->option_text("text|json");
  leaf.add_option("--batch-size", flags.batch_size, "Rows per read and per write transaction")
      ->check(CLI::Range(1, 100000));
  leaf.add_flag("--no-bookkeeping", flags.no_bookkeeping,
                "Create and write none of the project's own md_* tables (no operation lock, no "
                "recorded key check)");
  if (name != "status" && name != "verify") {
    leaf.add_flag("--dry-run", flags.dry_run, "Decrypt and report what would change; write nothing");
  }
  if (name == "re-encrypt") {
    leaf.add_flag("--stale-only", flags.stale_only,
                  "Skip values already encrypted with the current data key");
  }
}

CLI::App* AddSecretsMigration(CLI::App& cli, ConfigFlags& flags, std::string& action,
                              MigrationFlags& migration_flags) {
  CLI::App* admin = cli.add_subcommand("admin", "Grafana server administration commands");
  admin->require_subcommand(1)->fallthrough();
  CLI::App* migration = admin->add_subcommand(
      "secrets-migration", "Re-encrypt, roll back, rotate, inspect and verify stored secrets");
  migration->require_subcommand(1)->fallthrough();
  for (const SecretsMigrationAction& a : SecretsMigrationActions()) {
    CLI::App* leaf = migration->add_subcommand(a.name, a.usage);
    leaf->fallthrough();
    AddTrailingOverrides(*leaf, flags);
    AddMigrationFlags(*leaf, a.name, migration_flags);
    leaf->callback([&action, name = a.name] { action = name; });
  }
  return migration;
}

}  // namespace

const std::vector<SecretsMigrationAction>& SecretsMigrationActions() {
  static const std::vector<SecretsMigrationAction> kActions = {
      {"re-encrypt",
       "Re-encrypts secrets by decrypting and re-encrypting them with the currently configured "
       "encryption. Returns ok unless there is an error. Safe to execute multiple times."},
      {"rollback",
       "Rolls back secrets to legacy encryption. Returns ok unless there is an error. Safe to "
       "execute multiple times."},
      {"re-encrypt-data-keys",
       "Rotates persisted data encryption keys. Returns ok unless there is an error. Safe to "
       "execute multiple times."},
      {"rotate-data-keys",
       "Disables the active data encryption keys so that new secrets use fresh ones. Safe to "
       "execute multiple times."},
      {"status",
       "Shows an inventory of stored secrets: formats, data keys and providers in use, and "
       "whether the default secret_key is in use. Writes nothing."},
      {"verify",
       "Decrypts every stored secret and lists those that cannot be decrypted. Writes nothing."},
  };
  return kActions;
}

ParseOutcome ParseCommandLine(int argc, const char* const* argv, const std::string& version) {
  CLI::App app{"metrics-dashboard: a metrics dashboard server that keeps its secrets encrypted "
               "at rest (Grafana-compatible)",
               "metrics-dashboard"};
  app.set_version_flag("--version", version);
  app.footer(
      "Examples:\n"
      "  metrics-dashboard server --homepath . cfg:server.http_port=3001\n"
      "  metrics-dashboard cli --config conf/custom.ini admin secrets-migration status\n"
      "Run `metrics-dashboard <subcommand> --help` for its flags; configuration keys are in\n"
      "conf/defaults.ini and docs/configuration.md.");
  app.require_subcommand(1);
  ConfigFlags server_flags;
  CLI::App* server = app.add_subcommand("server", "Run the HTTP server");
  AddConfigFlags(*server, server_flags);
  AddTrailingOverrides(*server, server_flags);
  ConfigFlags cli_flags;
  std::string action;
  MigrationFlags migration_flags;
  CLI::App* cli = app.add_subcommand("cli", "Run an administration command");
  cli->require_subcommand(1);
  AddConfigFlags(*cli, cli_flags);
  cli->add_flag("-d,--debug", cli_flags.debug, "Log at debug level");
  AddSecretsMigration(*cli, cli_flags, action, migration_flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return ParseOutcome{std::nullopt, code == 0 ? 0 : 2};
  }
  CommandLine line;
  if (server->parsed()) {
    line.command = Command::kServer;
    line.options = ToLoadOptions(server_flags);
  } else {
    line.command = Command::kSecretsMigration;
    line.action = action;
    line.migration = migration_flags;
    line.options = ToLoadOptions(cli_flags);
  }
  return ParseOutcome{std::move(line), 0};
}

}  // namespace md::cli
