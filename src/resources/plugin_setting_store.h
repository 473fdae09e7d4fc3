// PluginSettingStore: plugin_setting rows (one per org and plugin id), with secure_json_data in
// the data source format and the same merge rule (resources/secure_json.h). Each write is one
// transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "resources/secure_json.h"
#include "store/database.h"

namespace md::resources {

struct PluginSetting {
  int64_t org_id = 1;
  std::string plugin_id;
  bool enabled = false;
  bool pinned = false;
  std::string json_data = "{}";
  std::string secure_json_data;  // stored map text
  std::string plugin_version;
};

// Absent fields keep their stored value (or the default for a new row).
struct PluginSettingCommand {
  std::optional<bool> enabled;
  std::optional<bool> pinned;
  std::optional<std::string> json_data;
  std::optional<std::string> plugin_version;
  EncryptedSecrets secrets;  // keys sent in secureJsonData, encrypted
};

class PluginSettingStore {
 public:
  explicit PluginSettingStore(store::Database& db) : db_(db) {}

  // nullopt when the plugin has no stored settings in the org.
  Result<std::optional<PluginSetting>> Get(int64_t org_id, const std::string& plugin_id);
  // Creates or updates the row; returns it as stored.
  Result<PluginSetting> Save(int64_t org_id, const std::string& plugin_id,
                             const PluginSettingCommand& command);

 private:
  Result<std::optional<PluginSetting>> GetIn(soci::session& session, int64_t org_id,
                                             const std::string& plugin_id);
  void Insert(soci::session& session, const PluginSetting& s);
  void Write(soci::session& session, const PluginSetting& s);

  store::Database& db_;
};

}  // namespace md::resources
