// Test-only: the Grafana tables our schema does not create (grafana-formats.md §4.3), with the
// columns the secrets operations touch, so tests can cover every secret-bearing column.
#pragma once

#include <string>

#include "store/database.h"

namespace md::operations::testing {

inline void CreateOtherGrafanaTables(store::Database& db) {
  std::string blob = db.dialect() == store::Dialect::kPostgres ? "BYTEA"
                     : db.dialect() == store::Dialect::kMysql  ? "LONGBLOB"
                                                              : "BLOB";
  std::string text = db.dialect() == store::Dialect::kMysql ? "MEDIUMTEXT" : "TEXT";
  std::string id = db.dialect() == store::Dialect::kPostgres ? "BIGSERIAL PRIMARY KEY"
                   : db.dialect() == store::Dialect::kMysql  ? "BIGINT AUTO_INCREMENT PRIMARY KEY"
                                                            : "INTEGER PRIMARY KEY AUTOINCREMENT";
  auto s = db.Lease();
  *s << "CREATE TABLE dashboard_snapshot (id " + id + ", dashboard_encrypted " + blob + " NULL, updated VARCHAR(32) NULL)";
  *s << "CREATE TABLE user_auth (id " + id + ", o_auth_access_token " + text + " NULL, o_auth_refresh_token " + text +
            " NULL, o_auth_token_type " + text + " NULL, o_auth_id_token " + text + " NULL)";
  *s << "CREATE TABLE signing_key (id " + id + ", private_key " + text + " NULL)";
  *s << "CREATE TABLE sso_setting (id VARCHAR(40) PRIMARY KEY, settings " + text + " NULL, updated VARCHAR(32) NULL)";
  *s << "CREATE TABLE user_external_session (id " + id + ", access_token " + text + " NULL, id_token " + text +
            " NULL, refresh_token " + text + " NULL, session_id " + text + " NULL, name_id " + text + " NULL)";
  *s << "CREATE TABLE resource (guid VARCHAR(36) PRIMARY KEY, " + db.Quote("group") + " VARCHAR(190), resource VARCHAR(190), value " + text + " NULL)";
  *s << "CREATE TABLE alert_notification (id " + id + ", secure_settings " + text + " NULL, updated VARCHAR(32) NULL)";
}

}  // namespace md::operations::testing
