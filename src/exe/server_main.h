// `metrics-dashboard server`: load settings, warn about public defaults, open and migrate the
// database, serve HTTP until SIGINT/SIGTERM. Exit codes: 0 clean shutdown, 1 runtime failure
// (database unreachable, port in use, ...), 2 bad configuration.
#pragma once

#include "api/health_handler.h"
#include "config/load_options.h"

namespace md::exe {

int RunServer(const config::LoadOptions& options, const api::BuildInfo& build);

// Prints "metrics-dashboard: <message>" as one line on stderr.
void PrintFatal(const std::string& message);

}  // namespace md::exe
