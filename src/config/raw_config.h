// The INI layers, lowest first (grafana-formats.md §7.5, Grafana's pkg/setting):
//   1. <homepath>/conf/defaults.ini (required)
//   2. "cfg:default.section.key=value" command-line overrides
//   3. the custom file: --config, else <homepath>/conf/custom.ini when it exists
//   4. GF_<SECTION>_<KEY> environment variables (empty values ignored) for every key in the files;
//      in [security.encryption.<kind>.<name>] sections also for keys absent from the files
//   5. "cfg:section.key=value" command-line overrides
// then $__env{VAR} and $__file{path} expansion of every value.
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "config/ini_file.h"
#include "config/load_options.h"

namespace md::config {

struct RawConfig {
  std::string homepath;  // absolute
  IniFile ini;
};

// InvalidArgument (one line) for an unreadable/missing file, a syntax error, a bad override or a
// failed expansion.
Result<RawConfig> LoadRawConfig(const LoadOptions& options);

// GF_ + upper(section, '.' and '-' -> '_') + '_' + upper(key, '.' -> '_').
std::string EnvKey(const std::string& section, const std::string& key);

// True for keys whose values must never be shown (passwords, secret keys, tokens).
bool IsSecretKey(const std::string& key);

// Expands $__env{VAR} (empty when unset) and $__file{path} (content, blanks trimmed) in value.
Result<std::string> ExpandValue(const std::string& value, const std::string& name,
                                const std::map<std::string, std::string>& environment);

}  // namespace md::config
