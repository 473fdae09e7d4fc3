#include "store/schema/migration.h"

#include <utility>

namespace md::store::schema {

Migration CreateTable(std::string id, Table table) {
  return {std::move(id), [table = std::move(table)](Database& db, soci::session& session) {
            std::vector<std::string> sql;
            if (db.TableExists(session, table.name)) {
              return sql;
            }
            sql.push_back(CreateTableSql(db, table));
            for (const Index& index : table.indices) {
              sql.push_back(CreateIndexSql(db, table.name, index));
            }
            return sql;
          }};
}

Migration AddIndex(std::string id, std::string table, Index index) {
  return {std::move(id), [table = std::move(table), index = std::move(index)](
                             Database& db, soci::session& session) {
            std::vector<std::string> sql;
            if (!db.IndexExists(session, table, IndexName(table, index))) {
              sql.push_back(CreateIndexSql(db, table, index));
            }
            return sql;
          }};
}

Migration AddColumn(std::string id, std::string table, Column column) {
  return {std::move(id), [table = std::move(table), column = std::move(column)](
                             Database& db, soci::session& session) {
            std::vector<std::string> sql;
            if (!db.ColumnExists(session, table, column.name)) {
              sql.push_back(AddColumnSql(db, table, column));
            }
            return sql;
          }};
}

Migration RawSql(std::string id, std::function<std::vector<std::string>(const Database&)> sql) {
  return {std::move(id),
          [sql = std::move(sql)](Database& db, soci::session& /*session*/) { return sql(db); }};
}

std::vector<Migration> AllMigrations() {
  std::vector<Migration> list;
  AppendOrgAndUserMigrations(list);
  AppendSecretsMigrations(list);
  AppendDataSourceMigrations(list);
  AppendPluginAndAlertingMigrations(list);
  AppendOwnMigrations(list);
  return list;
}

}  // namespace md::store::schema
