// data_keys and the kvstore table secrets (grafana-formats.md §3.1, §4.3), and the project's own
// md_key_check and md_operation_lock.
#include "store/schema/migration.h"

namespace md::store::schema {
namespace {

using T = ColumnType;

Table DataKeysTable() {
  return {"data_keys",
          {{.name = "name", .type = T::kVarchar, .length = 100, .nullable = false,
            .primary_key = true},
           {.name = "label", .type = T::kVarchar, .length = 100, .nullable = false,
            .default_value = "''"},
           {.name = "active", .type = T::kBool},
           {.name = "scope", .type = T::kVarchar, .length = 30, .nullable = false},
           {.name = "provider", .type = T::kVarchar, .length = 50, .nullable = false},
           {.name = "encrypted_data", .type = T::kBlob, .nullable = false},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false}},
          {}};
}

// A data_keys table from Grafana 8.3/8.4 has no label: the name was the label. Grafana's own
// history copies it across ("copy data_keys id column values into name"); so do we.
Migration DataKeysLabel() {
  return {"add label column to data_keys", [](Database& db, soci::session& session) {
            std::vector<std::string> sql;
            if (db.ColumnExists(session, "data_keys", "label")) {
              return sql;
            }
            sql.push_back(AddColumnSql(db, "data_keys",
                                       {.name = "label", .type = T::kVarchar, .length = 100,
                                        .nullable = false, .default_value = "''"}));
            sql.push_back("UPDATE data_keys SET label = name");
            return sql;
          }};
}

Table SecretsTable() {
  return {"secrets",
          {{.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
            .auto_increment = true},
           {.name = "org_id", .type = T::kBigInt, .nullable = false},
           {.name = "namespace", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "type", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "value", .type = T::kText},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false}},
          {{.columns = {"org_id"}}, {.columns = {"org_id", "namespace"}},
           {.columns = {"org_id", "namespace", "type"}, .unique = true}}};
}

// One row per key provider: a value encrypted under that provider, to detect a wrong key early.
Table KeyCheckTable() {
  return {"md_key_check",
          {{.name = "provider", .type = T::kVarchar, .length = 50, .nullable = false,
            .primary_key = true},
           {.name = "check_value", .type = T::kText, .nullable = false},  // KMS ciphertexts can be long
           {.name = "created", .type = T::kDateTime, .nullable = false}},
          {}};
}

// Cluster-wide operation leases (re-encrypt, rotate, ...): one row per running operation.
Table OperationLockTable() {
  return {"md_operation_lock",
          {{.name = "name", .type = T::kVarchar, .length = 64, .nullable = false,
            .primary_key = true},
           {.name = "holder", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "acquired", .type = T::kDateTime, .nullable = false},
           {.name = "heartbeat", .type = T::kDateTime, .nullable = false}},
          {}};
}

}  // namespace

void AppendSecretsMigrations(std::vector<Migration>& list) {
  Migration data_keys = CreateTable("create data_keys table", DataKeysTable());
  data_keys.subsumes = {"rename data_keys name column to id", "add name column into data_keys",
                        "copy data_keys id column values into name",
                        "rename data_keys name column to label",
                        "rename data_keys id column back to name"};
  list.push_back(std::move(data_keys));
  list.push_back(DataKeysLabel());
  list.push_back(CreateTable("create secrets table", SecretsTable()));
}

void AppendOwnMigrations(std::vector<Migration>& list) {
  list.push_back(CreateTable("md: create md_key_check table", KeyCheckTable()));
  list.push_back(CreateTable("md: create md_operation_lock table", OperationLockTable()));
}

}  // namespace md::store::schema
