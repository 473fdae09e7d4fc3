#include "config/settings_loader.h"

#include <algorithm>
#include <filesystem>

#include "config/raw_config.h"
#include "config/setting_reader.h"
#include "config/values.h"

namespace md::config {
namespace {

namespace fs = std::filesystem;

std::string Resolve(const std::string& base, const std::string& path) {
  const fs::path p(path);
  return (p.is_absolute() ? p : fs::path(base) / p).lexically_normal().string();
}

Status ReadServer(const SettingReader& r, const std::string& homepath, ServerSettings& out) {
  const std::string s = "server";
  if (Status st = r.OneOf(s, "protocol", {"http", "https"}, out.protocol); !st.ok()) {
    return st;
  }
  out.http_addr = r.String(s, "http_addr", out.http_addr);
  if (out.http_addr.empty()) {
    out.http_addr = "0.0.0.0";
  }
  int64_t port = out.http_port;
  if (Status st = r.Int(s, "http_port", 1, 65535, port); !st.ok()) {
    return st;
  }
  out.http_port = static_cast<int>(port);
  if (Status st = r.Duration(s, "read_timeout", true, out.read_timeout); !st.ok()) {
    return st;
  }
  if (Status st = r.ByteSize(s, "max_body_size", out.max_body_bytes); !st.ok()) {
    return st;
  }
  out.cert_file = r.String(s, "cert_file");
  out.cert_key = r.String(s, "cert_key");
  if (out.protocol != "https") {
    return OkStatus();
  }
  for (auto [key, value] : {std::pair{"cert_file", &out.cert_file}, {"cert_key", &out.cert_key}}) {
    if (value->empty()) {
      return InvalidArgumentError(std::string("missing value for server.") + key +
                                  ": required when server.protocol is https");
    }
    *value = Resolve(homepath, *value);
    if (!fs::is_regular_file(*value)) {
      return SettingReader::Invalid(s, key, *value, "an existing PEM file");
    }
  }
  return OkStatus();
}

Status ReadDatabase(const SettingReader& r, const std::string& data_path, DatabaseSettings& out) {
  const std::string s = "database";
  if (Status st = r.OneOf(s, "type", {"sqlite3", "postgres", "mysql"}, out.type); !st.ok()) {
    return st;
  }
  if (Status st = r.OneOf(s, "ssl_mode", {"disable", "require", "verify-ca", "verify-full",
                                          "true", "false", "skip-verify"}, out.ssl_mode);
      !st.ok()) {
    return st;
  }
  int64_t conns = out.max_open_conn;
  if (Status st = r.Int(s, "max_open_conn", 1, 1000, conns); !st.ok()) {
    return st;
  }
  out.max_open_conn = static_cast<int>(conns);
  if (Status st = r.Duration(s, "busy_timeout", true, out.busy_timeout); !st.ok()) {
    return st;
  }
  out.host = r.String(s, "host");
  if (out.host.empty()) {
    out.host = out.type == "mysql" ? "127.0.0.1:3306" : "127.0.0.1:5432";
  }
  out.name = r.String(s, "name", out.name);
  out.user = r.String(s, "user", out.user);
  out.password = r.String(s, "password");
  const std::string path = r.String(s, "path", "metrics-dashboard.db");
  out.path = Resolve(data_path, path.empty() ? "metrics-dashboard.db" : path);
  if (out.type != "sqlite3" && out.name.empty()) {
    return SettingReader::Invalid(s, "name", out.name, "a database name");
  }
  return OkStatus();
}

Status ReadLog(const SettingReader& r, LogSettings& out) {
  if (Status st = r.OneOf("log", "level", {"debug", "info", "warn", "error"}, out.level);
      !st.ok()) {
    return st;
  }
  return r.OneOf("log", "format", {"logfmt", "json"}, out.format);
}

}  // namespace

bool FeatureToggles::IsEnabled(const std::string& name) const {
  return std::find(enabled.begin(), enabled.end(), name) != enabled.end();
}

Result<Settings> SettingsFromIni(const IniFile& ini, const std::string& homepath) {
  const SettingReader r(ini);
  Settings settings;
  settings.homepath = homepath;
  const std::string data = r.String("paths", "data", "data");
  settings.data_path = Resolve(homepath, data.empty() ? "data" : data);
  for (const Status& st : {ReadServer(r, homepath, settings.server),
                           ReadDatabase(r, settings.data_path, settings.database),
                           ReadSecurity(ini, settings.security),
                           ReadEncryption(ini, settings.encryption), ReadLog(r, settings.log)}) {
    if (!st.ok()) {
      return st;
    }
  }
  settings.features.enabled = SplitList(r.String("feature_toggles", "enable"));
  return settings;
}

Result<Settings> LoadSettings(const LoadOptions& options) {
  ASSIGN_OR_RETURN(const RawConfig raw, LoadRawConfig(options));
  return SettingsFromIni(raw.ini, raw.homepath);
}

}  // namespace md::config
