// data_source: Grafana's final layout (pkg/services/sqlstore/migrations/datasource_mig.go),
// including the legacy plaintext password columns (grafana-formats.md §8).
#include "store/schema/migration.h"

namespace md::store::schema {
namespace {

using T = ColumnType;

Table DataSourceTable() {
  return {"data_source",
          {{.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
            .auto_increment = true},
           {.name = "org_id", .type = T::kBigInt, .nullable = false},
           {.name = "version", .type = T::kInt, .nullable = false},
           {.name = "type", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "name", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "access", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "url", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "password", .type = T::kVarchar, .length = 255},
           {.name = "user", .type = T::kVarchar, .length = 255},
           {.name = "database", .type = T::kVarchar, .length = 255},
           {.name = "basic_auth", .type = T::kBool, .nullable = false},
           {.name = "basic_auth_user", .type = T::kVarchar, .length = 255},
           {.name = "basic_auth_password", .type = T::kVarchar, .length = 255},
           {.name = "is_default", .type = T::kBool, .nullable = false},
           {.name = "json_data", .type = T::kText},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false},
           {.name = "with_credentials", .type = T::kBool, .nullable = false, .default_value = "0"},
           {.name = "secure_json_data", .type = T::kText},
           {.name = "read_only", .type = T::kBool},
           {.name = "uid", .type = T::kVarchar, .length = 40, .nullable = false,
            .default_value = "'0'"}},
          {{.columns = {"org_id"}}, {.columns = {"org_id", "name"}, .unique = true},
           {.columns = {"org_id", "uid"}, .unique = true}}};
}

}  // namespace

void AppendDataSourceMigrations(std::vector<Migration>& list) {
  list.push_back(CreateTable("create data_source table", DataSourceTable()));
  // Grafana databases from before these columns existed.
  list.push_back(AddColumn("add secure_json_data column to data_source", "data_source",
                           {.name = "secure_json_data", .type = T::kText}));
  list.push_back(AddColumn("add uid column to data_source", "data_source",
                           {.name = "uid", .type = T::kVarchar, .length = 40, .nullable = false,
                            .default_value = "'0'"}));
  list.push_back(AddIndex("add unique index data_source org_id uid", "data_source",
                          {.columns = {"org_id", "uid"}, .unique = true}));
}

}  // namespace md::store::schema
