// org, user, org_user and api_key: Grafana's layouts (pkg/services/sqlstore/migrations/
// org_mig.go, user_mig.go, apikey_mig.go), and the main org (id 1) that org-scoped rows point at.
#include "store/schema/migration.h"

namespace md::store::schema {
namespace {

using T = ColumnType;

Column Id() { return {.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
                      .auto_increment = true}; }

Table OrgTable() {
  return {"org",
          {Id(), {.name = "version", .type = T::kInt, .nullable = false},
           {.name = "name", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false}},
          {{.columns = {"name"}, .unique = true}}};
}

Table UserTable() {
  return {"user",
          {Id(), {.name = "version", .type = T::kInt, .nullable = false},
           {.name = "login", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "email", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "name", .type = T::kVarchar, .length = 255},
           {.name = "password", .type = T::kVarchar, .length = 255},
           {.name = "salt", .type = T::kVarchar, .length = 50},
           {.name = "rands", .type = T::kVarchar, .length = 50},
           {.name = "company", .type = T::kVarchar, .length = 255},
           {.name = "org_id", .type = T::kBigInt, .nullable = false},
           {.name = "is_admin", .type = T::kBool, .nullable = false},
           {.name = "email_verified", .type = T::kBool},
           {.name = "theme", .type = T::kVarchar, .length = 255},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false},
           {.name = "help_flags1", .type = T::kBigInt, .nullable = false, .default_value = "0"},
           {.name = "last_seen_at", .type = T::kDateTime},
           {.name = "is_disabled", .type = T::kBool, .nullable = false, .default_value = "0"},
           {.name = "is_service_account", .type = T::kBool, .default_value = "0"},
           {.name = "uid", .type = T::kVarchar, .length = 40}},
          {{.columns = {"login"}, .unique = true}, {.columns = {"email"}, .unique = true},
           {.columns = {"login", "email"}}, {.columns = {"uid"}, .unique = true}}};
}

Table OrgUserTable() {
  return {"org_user",
          {Id(), {.name = "org_id", .type = T::kBigInt, .nullable = false},
           {.name = "user_id", .type = T::kBigInt, .nullable = false},
           {.name = "role", .type = T::kVarchar, .length = 20},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false}},
          {{.columns = {"org_id"}}, {.columns = {"org_id", "user_id"}, .unique = true},
           {.columns = {"user_id"}}}};
}

// Service-account tokens live in api_key (service_account_id set).
Table ApiKeyTable() {
  return {"api_key",
          {Id(), {.name = "org_id", .type = T::kBigInt, .nullable = false},
           {.name = "name", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "key", .type = T::kVarchar, .length = 190, .nullable = false},
           {.name = "role", .type = T::kVarchar, .length = 255, .nullable = false},
           {.name = "created", .type = T::kDateTime, .nullable = false},
           {.name = "updated", .type = T::kDateTime, .nullable = false},
           {.name = "expires", .type = T::kBigInt},
           {.name = "service_account_id", .type = T::kBigInt},
           {.name = "last_used_at", .type = T::kDateTime},
           {.name = "is_revoked", .type = T::kBool, .default_value = "0"}},
          {{.columns = {"org_id"}}, {.columns = {"key"}, .unique = true},
           {.columns = {"org_id", "name"}, .unique = true}}};
}

// Inserts org 1 ("Main Org.") when missing; on PostgreSQL also moves the id sequence past it.
Migration MainOrg() {
  return {"create main org", [](Database& db, soci::session& session) {
            std::vector<std::string> sql;
            int count = 0;
            session << "SELECT count(*) FROM " << db.Quote("org") << " WHERE id = 1",
                soci::into(count);
            if (count > 0) {
              return sql;
            }
            sql.push_back("INSERT INTO " + db.Quote("org") +
                          " (id, version, name, created, updated) VALUES (1, 0, 'Main Org.', " +
                          db.NowLiteral() + ", " + db.NowLiteral() + ")");
            if (db.dialect() == Dialect::kPostgres) {
              sql.push_back(
                  "SELECT setval(pg_get_serial_sequence('org', 'id'), (SELECT MAX(id) FROM org))");
            }
            return sql;
          }};
}

}  // namespace

void AppendOrgAndUserMigrations(std::vector<Migration>& list) {
  list.push_back(CreateTable("create org table", OrgTable()));
  list.push_back(MainOrg());
  list.push_back(CreateTable("create user table", UserTable()));
  list.push_back(CreateTable("create org_user table", OrgUserTable()));
  list.push_back(CreateTable("create api_key table", ApiKeyTable()));
}

}  // namespace md::store::schema
