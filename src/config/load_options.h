// LoadOptions: where settings come from (STYLE: the process environment is captured in exe/ and
// passed in, so the loader reads no globals and tests pass their own environment).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace md::config {

struct LoadOptions {
  std::string homepath;     // --homepath; empty = current directory
  std::string config_file;  // --config; empty = conf/custom.ini under homepath when present
  // Command-line overrides, each "cfg:section.key=value" (applied last) or
  // "cfg:default.section.key=value" (applied before the custom file, as Grafana does).
  std::vector<std::string> overrides;
  // The environment: GF_* overrides and $__env{VAR} expansion read it.
  std::map<std::string, std::string> environment;
};

// The current process environment, for LoadOptions::environment.
std::map<std::string, std::string> ProcessEnvironment();

// Splits a --configOverrides string on blanks.
std::vector<std::string> SplitOverrides(const std::string& text);

}  // namespace md::config
