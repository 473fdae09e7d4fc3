#include "resources/plugin_setting_store.h"

namespace md::resources {

Result<std::optional<PluginSetting>> PluginSettingStore::GetIn(soci::session& session, int64_t org_id,
                                                               const std::string& plugin_id) {
  PluginSetting s;
  int enabled = 0, pinned = 0;
  std::string id = plugin_id;
  try {
    session << "SELECT CASE WHEN enabled THEN 1 ELSE 0 END, CASE WHEN pinned THEN 1 ELSE 0 END, "
               "COALESCE(json_data, ''), COALESCE(secure_json_data, ''), COALESCE(plugin_version, '') "
               "FROM plugin_setting WHERE org_id = " + std::to_string(org_id) + " AND plugin_id = :p",
        soci::use(id), soci::into(enabled), soci::into(pinned), soci::into(s.json_data),
        soci::into(s.secure_json_data), soci::into(s.plugin_version);
    if (!session.got_data()) return std::optional<PluginSetting>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading plugin_setting");
  }
  s.org_id = org_id;
  s.plugin_id = plugin_id;
  s.enabled = enabled != 0;
  s.pinned = pinned != 0;
  if (s.json_data.empty()) s.json_data = "{}";
  return std::optional<PluginSetting>(std::move(s));
}

Result<std::optional<PluginSetting>> PluginSettingStore::Get(int64_t org_id, const std::string& plugin_id) {
  auto session = db_.Lease();
  return GetIn(*session, org_id, plugin_id);
}

void PluginSettingStore::Insert(soci::session& session, const PluginSetting& s) {
  session << "INSERT INTO plugin_setting (org_id, plugin_id, enabled, pinned, json_data, "
             "secure_json_data, created, updated, plugin_version) VALUES (" +
                 std::to_string(s.org_id) + ", :pid, " + db_.BoolLiteral(s.enabled) + ", " +
                 db_.BoolLiteral(s.pinned) + ", :jd, :sjd, " + db_.NowLiteral() + ", " +
                 db_.NowLiteral() + ", :pv)",
      soci::use(s.plugin_id, "pid"), soci::use(s.json_data, "jd"),
      soci::use(s.secure_json_data, "sjd"), soci::use(s.plugin_version, "pv");
}

void PluginSettingStore::Write(soci::session& session, const PluginSetting& s) {
  session << "UPDATE plugin_setting SET enabled = " + db_.BoolLiteral(s.enabled) + ", pinned = " +
                 db_.BoolLiteral(s.pinned) + ", json_data = :jd, secure_json_data = :sjd, "
                 "plugin_version = :pv, updated = " + db_.NowLiteral() + " WHERE org_id = " +
                 std::to_string(s.org_id) + " AND plugin_id = :pid",
      soci::use(s.json_data, "jd"), soci::use(s.secure_json_data, "sjd"),
      soci::use(s.plugin_version, "pv"), soci::use(s.plugin_id, "pid");
}

Result<PluginSetting> PluginSettingStore::Save(int64_t org_id, const std::string& plugin_id,
                                               const PluginSettingCommand& command) {
  PluginSetting saved;
  Status status = db_.InTransaction([&](soci::session& session) -> Status {
    ASSIGN_OR_RETURN(auto existing, GetIn(session, org_id, plugin_id));
    PluginSetting fresh;
    fresh.org_id = org_id;
    fresh.plugin_id = plugin_id;
    PluginSetting s = existing.value_or(fresh);
    s.enabled = command.enabled.value_or(s.enabled);
    s.pinned = command.pinned.value_or(s.pinned);
    s.json_data = command.json_data.value_or(s.json_data);
    s.plugin_version = command.plugin_version.value_or(s.plugin_version);
    ASSIGN_OR_RETURN(s.secure_json_data, MergeSecureJson(s.secure_json_data, command.secrets));
    existing ? Write(session, s) : Insert(session, s);
    saved = s;
    return OkStatus();
  }, /*write_lock=*/true);
  if (!status.ok()) return status;
  return saved;
}

}  // namespace md::resources
