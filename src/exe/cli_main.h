// `metrics-dashboard cli ... admin secrets-migration <action>`: opens the configured database
// (creating only the project's own md_* tables, never Grafana's), runs the action and prints its
// report. Exit codes: 0 nothing failed, 1 something failed, 2 usage or configuration error.
#pragma once

#include "cli/command_line.h"

namespace md::exe {

int RunSecretsMigration(const cli::CommandLine& line);

}  // namespace md::exe
