// Entry point: `metrics-dashboard server` and `metrics-dashboard cli ...`.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"metrics-dashboard: a metrics dashboard server that keeps its secrets encrypted at rest"};
  app.set_version_flag("--version", std::string("metrics-dashboard ") + MD_VERSION);
  app.require_subcommand(1);
  app.add_subcommand("server", "Run the HTTP server");
  CLI11_PARSE(app, argc, argv);
  return 0;
}
