// plugin_setting and alert_configuration: Grafana's layouts (plugin_setting_mig.go and
// ngalert's alertmanager configuration migrations).
#include "store/schema/migration.h"

namespace md::store::schema {
namespace {

using T = ColumnType;

Table PluginSettingTable() {
  return {"plugin_setting",
          {{.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
            .auto_increment = true},
           {.name = "org_id", .type = T::kBigInt},
           {.name = "plugin_id", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "enabled", .type = T::kBool, .nullable = false},
           {.name = "pinned", .type = T::kBool, .nullable = false},
           {.name = "json_data", .type = T::kText},
           {.name = "secure_json_data", .type = T::kText},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false},
           {.name = "plugin_version", .type = T::kVarchar, .length = 50}},
          {{.columns = {"org_id", "plugin_id"}, .unique = true}}};
}

Table AlertConfigurationTable() {
  return {"alert_configuration",
          {{.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
            .auto_increment = true},
           {.name = "alertmanager_configuration", .type = T::kMediumText, .nullable = false},
           {.name = "configuration_version", .type = T::kVarchar, .length = 3, .nullable = false},
           {.name = "created_at", .type = T::kInt, .nullable = false},
           {.name = "default", .type = T::kBool, .nullable = false, .default_value = "0"},
           {.name = "org_id", .type = T::kBigInt, .nullable = false, .default_value = "0"},
           {.name = "configuration_hash", .type = T::kVarchar, .length = 32, .nullable = false,
            .default_value = "'not-yet-calculated'"}},
          {{.columns = {"org_id"}}}};
}

}  // namespace

void AppendPluginAndAlertingMigrations(std::vector<Migration>& list) {
  list.push_back(CreateTable("create plugin_setting table", PluginSettingTable()));
  list.push_back(CreateTable("create alert_configuration table", AlertConfigurationTable()));
}

}  // namespace md::store::schema
