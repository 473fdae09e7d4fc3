#include "store/schema/table.h"

#include <string>

namespace md::store::schema {
namespace {

std::string TypeName(Dialect dialect, const Column& column) {
  const std::string length = std::to_string(column.length > 0 ? column.length : 255);
  switch (column.type) {
    case ColumnType::kBigInt:
      if (dialect == Dialect::kSqlite) {
        return "INTEGER";
      }
      return dialect == Dialect::kPostgres && column.auto_increment ? "BIGSERIAL" : "BIGINT";
    case ColumnType::kInt:
      if (dialect == Dialect::kSqlite) {
        return "INTEGER";
      }
      return dialect == Dialect::kPostgres && column.auto_increment ? "SERIAL" : "INTEGER";
    case ColumnType::kVarchar:
      return dialect == Dialect::kSqlite ? "TEXT" : "VARCHAR(" + length + ")";
    case ColumnType::kText:
      return "TEXT";
    case ColumnType::kMediumText:
      return dialect == Dialect::kMysql ? "MEDIUMTEXT" : "TEXT";
    case ColumnType::kBlob:
      return dialect == Dialect::kPostgres ? "BYTEA" : "BLOB";
    case ColumnType::kBool:
      switch (dialect) {
        case Dialect::kSqlite:
          return "INTEGER";
        case Dialect::kPostgres:
          return "BOOL";
        case Dialect::kMysql:
          return "TINYINT(1)";
      }
      break;
    case ColumnType::kDateTime:
      return dialect == Dialect::kPostgres ? "TIMESTAMP" : "DATETIME";
  }
  return "TEXT";
}

std::string DefaultLiteral(const Database& db, const Column& column) {
  if (column.type == ColumnType::kBool) {
    return db.BoolLiteral(column.default_value == "1" || column.default_value == "true");
  }
  return column.default_value;
}

}  // namespace

std::string IndexName(const std::string& table, const Index& index) {
  std::string name = (index.unique ? "UQE_" : "IDX_") + table;
  for (const std::string& column : index.columns) {
    name += "_" + column;
  }
  return name;
}

std::string ColumnDefinition(const Database& db, const Column& column) {
  const Dialect dialect = db.dialect();
  std::string sql = db.Quote(column.name) + " " + TypeName(dialect, column);
  if (column.primary_key && column.auto_increment) {
    // SQLite needs exactly "INTEGER PRIMARY KEY AUTOINCREMENT" for a rowid alias.
    sql += dialect == Dialect::kSqlite ? " PRIMARY KEY AUTOINCREMENT NOT NULL"
           : dialect == Dialect::kMysql ? " NOT NULL AUTO_INCREMENT PRIMARY KEY"
                                        : " NOT NULL PRIMARY KEY";
    return sql;
  }
  if (!column.nullable || column.primary_key) {
    sql += " NOT NULL";
  }
  if (!column.default_value.empty()) {
    sql += " DEFAULT " + DefaultLiteral(db, column);
  }
  return sql;
}

std::string CreateTableSql(const Database& db, const Table& table) {
  std::string sql = "CREATE TABLE " + db.Quote(table.name) + " (\n";
  std::vector<std::string> keys;
  bool auto_key = false;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const Column& column = table.columns[i];
    sql += "  " + ColumnDefinition(db, column) + (i + 1 < table.columns.size() ? ",\n" : "");
    if (column.primary_key) {
      keys.push_back(db.Quote(column.name));
      auto_key = auto_key || column.auto_increment;
    }
  }
  if (!keys.empty() && !auto_key) {
    sql += ",\n  PRIMARY KEY (";
    for (size_t i = 0; i < keys.size(); ++i) {
      sql += (i > 0 ? ", " : "") + keys[i];
    }
    sql += ")";
  }
  sql += "\n)";
  if (db.dialect() == Dialect::kMysql) {
    sql += " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  }
  return sql;
}

std::string CreateIndexSql(const Database& db, const std::string& table, const Index& index) {
  std::string sql = std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                    db.Quote(IndexName(table, index)) + " ON " + db.Quote(table) + " (";
  for (size_t i = 0; i < index.columns.size(); ++i) {
    sql += (i > 0 ? ", " : "") + db.Quote(index.columns[i]);
  }
  return sql + ")";
}

std::string AddColumnSql(const Database& db, const std::string& table, const Column& column) {
  return "ALTER TABLE " + db.Quote(table) + " ADD COLUMN " + ColumnDefinition(db, column);
}

}  // namespace md::store::schema
