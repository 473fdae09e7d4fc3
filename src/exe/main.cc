// Entry point: `metrics-dashboard server` and `metrics-dashboard cli ...`. Builds the objects
// and wires them together (STYLE.md §5.4.4); catches anything thrown so no stack trace escapes.
#include <exception>
#include <string>

#include "cli/command_line.h"
#include "config/load_options.h"
#include "exe/cli_main.h"
#include "exe/server_main.h"
#include "exe/signals.h"

int main(int argc, char** argv) {
  md::exe::BlockShutdownSignals();  // before any thread starts
  try {
    const md::api::BuildInfo build{MD_VERSION, MD_COMMIT};
    md::cli::ParseOutcome parsed =
        md::cli::ParseCommandLine(argc, argv, std::string("metrics-dashboard ") + MD_VERSION);
    if (!parsed.command_line) {
      return parsed.exit_code;
    }
    md::cli::CommandLine& line = *parsed.command_line;
    line.options.environment = md::config::ProcessEnvironment();
    if (line.command == md::cli::Command::kServer) {
      return md::exe::RunServer(line.options, build);
    }
    return md::exe::RunSecretsMigration(line);
  } catch (const std::exception& e) {
    md::exe::PrintFatal(std::string("unexpected error: ") + e.what());
  } catch (...) {
    md::exe::PrintFatal("unexpected error");
  }
  return 1;
}
