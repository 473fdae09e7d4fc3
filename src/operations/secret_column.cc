#include "operations/secret_column.h"

namespace md::operations {

const std::vector<SecretColumn>& SecretColumns() {
  static const std::vector<SecretColumn> kColumns = [] {
    std::vector<SecretColumn> c;
    c.push_back({"dashboard_snapshot", "dashboard_encrypted", CellKind::kRawBlob, "id", "updated", ""});
    for (const char* col : {"o_auth_access_token", "o_auth_refresh_token", "o_auth_token_type", "o_auth_id_token"}) {
      c.push_back({"user_auth", col, CellKind::kBase64Padded, "id", "", ""});
    }
    c.push_back({"secrets", "value", CellKind::kBase64Raw, "id", "updated", ""});
    c.push_back({"data_source", "secure_json_data", CellKind::kJsonMap, "id", "updated", ""});
    c.push_back({"plugin_setting", "secure_json_data", CellKind::kJsonMap, "id", "updated", ""});
    c.push_back({"signing_key", "private_key", CellKind::kBase64Raw, "id", "", ""});
    c.push_back({"alert_configuration", "alertmanager_configuration", CellKind::kAlerting, "id", "", ""});
    c.push_back({"sso_setting", "settings", CellKind::kSso, "id", "updated", ""});
    for (const char* col : {"access_token", "id_token", "refresh_token", "session_id", "name_id"}) {
      c.push_back({"user_external_session", col, CellKind::kBase64Padded, "id", "", ""});
    }
    c.push_back({"resource", "value", CellKind::kProvisioning, "guid", "",
                 "{group} = 'provisioning.grafana.app' AND {resource} = 'repositories'"});
    c.push_back({"alert_notification", "secure_settings", CellKind::kJsonMap, "id", "updated", "", true});
    return c;
  }();
  return kColumns;
}

std::string ColumnName(const SecretColumn& column) { return column.table + "." + column.column; }

}  // namespace md::operations
