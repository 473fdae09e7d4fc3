// A table description in the shape of Grafana's migrator (pkg/services/sqlstore/migrator): abstract
// column types mapped per dialect the way Grafana's xorm dialects do, and Grafana's index names
// (IDX_<table>_<cols> / UQE_<table>_<cols>), so that our tables match Grafana's.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace md::store::schema {

enum class ColumnType {
  kBigInt,      // SQLite INTEGER, PostgreSQL BIGINT (BIGSERIAL), MySQL BIGINT (AUTO_INCREMENT)
  kInt,         // SQLite INTEGER, PostgreSQL INTEGER (SERIAL), MySQL INT
  kVarchar,     // SQLite TEXT, VARCHAR(length) elsewhere (Grafana's NVARCHAR)
  kText,        // TEXT everywhere
  kMediumText,  // MySQL MEDIUMTEXT, TEXT elsewhere
  kBlob,        // SQLite BLOB, PostgreSQL BYTEA, MySQL BLOB
  kBool,        // SQLite INTEGER, PostgreSQL BOOLEAN, MySQL TINYINT(1)
  kDateTime,    // SQLite DATETIME, PostgreSQL TIMESTAMP, MySQL DATETIME
};

struct Column {
  std::string name = {};
  ColumnType type = ColumnType::kText;
  int length = 0;  // kVarchar only
  bool nullable = true;
  bool primary_key = false;
  bool auto_increment = false;  // integer primary keys only
  // Literal default as written in Grafana's migrations ("0", "''", "'not-yet-calculated'");
  // for kBool, "0"/"1" become the dialect's boolean literal. Empty = no default.
  std::string default_value = {};
};

struct Index {
  std::vector<std::string> columns = {};
  bool unique = false;
};

struct Table {
  std::string name = {};
  std::vector<Column> columns = {};
  std::vector<Index> indices = {};
};

// Grafana's index name: "UQE_<table>_<col>_<col>" for unique, "IDX_..." otherwise.
std::string IndexName(const std::string& table, const Index& index);

// "<quoted name> <type> [PRIMARY KEY ...] [NOT NULL] [DEFAULT ...]" for CREATE/ALTER TABLE.
std::string ColumnDefinition(const Database& db, const Column& column);

// CREATE TABLE without the indices (MySQL: InnoDB, utf8mb4).
std::string CreateTableSql(const Database& db, const Table& table);
std::string CreateIndexSql(const Database& db, const std::string& table, const Index& index);
std::string AddColumnSql(const Database& db, const std::string& table, const Column& column);

}  // namespace md::store::schema
