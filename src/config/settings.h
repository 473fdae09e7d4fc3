// Typed, validated settings read from the INI layers (conf/defaults.ini, --config, overrides,
// GF_* environment). Every key the product reads is here and in conf/defaults.ini.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/secret_bytes.h"

namespace md::config {

struct ServerSettings {
  std::string protocol = "http";  // http | https
  std::string http_addr = "0.0.0.0";
  int http_port = 3000;
  std::string cert_file;
  std::string cert_key;
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  int64_t max_body_bytes = 10 * 1024 * 1024;
};

struct DatabaseSettings {
  std::string type = "sqlite3";  // sqlite3 | postgres | mysql
  std::string path;              // sqlite3: absolute after loading (default <data>/metrics-dashboard.db)
  std::string host = "127.0.0.1:5432";  // host[:port]
  std::string name = "metrics_dashboard";
  std::string user = "root";
  std::string password;
  std::string ssl_mode = "disable";
  int max_open_conn = 8;
  std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};  // sqlite3 only
};

// One [security.encryption.<kind>.<name>] section: raw keys, validated by the provider itself.
struct ProviderSection {
  std::string id;  // "<kind>.<name>"
  std::map<std::string, std::string> keys;
};

struct SecuritySettings {
  SecretBytes secret_key;            // default "SW2YcwTIb9zpOOhoPsMm" (warns when in use)
  bool secret_key_is_default = true;
  SecretBytes previous_secret_key;   // decrypt-only key during secret_key rotation (may be empty)
  std::string encryption_provider = "secretKey.v1";  // normalised
  std::vector<std::string> available_encryption_providers;
  std::string admin_user = "admin";
  SecretBytes admin_password;
  bool admin_password_is_default = true;
};

struct EncryptionSettings {
  std::string algorithm = "aes-cfb";  // aes-cfb | aes-gcm
  std::chrono::milliseconds data_keys_cache_ttl{std::chrono::minutes(15)};
  std::chrono::milliseconds data_keys_cache_cleanup_interval{std::chrono::minutes(1)};
  // How often a process checks data_keys for a rotation made elsewhere (ours; see docs/ha.md).
  std::chrono::milliseconds data_keys_change_check_interval{std::chrono::seconds(5)};
  std::vector<ProviderSection> providers;  // every [security.encryption.<kind>.<name>] section
};

struct LogSettings {
  std::string level = "info";   // debug | info | warn | error
  std::string format = "logfmt";  // logfmt | json
};

struct FeatureToggles {
  std::vector<std::string> enabled;
  bool IsEnabled(const std::string& name) const;
};

struct Settings {
  std::string homepath;  // absolute
  std::string data_path;  // [paths] data, absolute
  ServerSettings server;
  DatabaseSettings database;
  SecuritySettings security;
  EncryptionSettings encryption;
  LogSettings log;
  FeatureToggles features;
};

}  // namespace md::config
