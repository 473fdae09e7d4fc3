// Database: the SQL fragments and catalogue queries that differ between dialects.
#include <string>

#include "store/database.h"

namespace md::store {

std::string Database::BoolLiteral(bool value) const {
  if (dialect_ == Dialect::kPostgres) {
    return value ? "true" : "false";
  }
  return value ? "1" : "0";
}

std::string Database::HexOfBlob(std::string_view column) const {
  switch (dialect_) {
    case Dialect::kSqlite:
      return "hex(" + std::string(column) + ")";
    case Dialect::kPostgres:
      return "encode(" + std::string(column) + ", 'hex')";
    case Dialect::kMysql:
      return "HEX(" + std::string(column) + ")";
  }
  return std::string(column);
}

std::string Database::BlobFromHex(std::string_view placeholder) const {
  switch (dialect_) {
    case Dialect::kSqlite:
      return "md_unhex(" + std::string(placeholder) + ")";
    case Dialect::kPostgres:
      return "decode(" + std::string(placeholder) + ", 'hex')";
    case Dialect::kMysql:
      return "UNHEX(" + std::string(placeholder) + ")";
  }
  return std::string(placeholder);
}

std::string Database::Quote(std::string_view identifier) const {
  const char quote = dialect_ == Dialect::kMysql ? '`' : '"';
  std::string quoted(1, quote);
  for (char c : identifier) {
    if (c == quote) {
      quoted += quote;  // doubled, as all three dialects expect
    }
    quoted += c;
  }
  quoted += quote;
  return quoted;
}

std::string Database::NowLiteral() const {
  switch (dialect_) {
    case Dialect::kSqlite:
      return "datetime('now')";
    case Dialect::kPostgres:
      return "(now() AT TIME ZONE 'UTC')";
    case Dialect::kMysql:
      return "UTC_TIMESTAMP()";
  }
  return "CURRENT_TIMESTAMP";
}

bool Database::TableExists(soci::session& session, std::string_view table) const {
  const std::string name(table);
  int count = 0;
  switch (dialect_) {
    case Dialect::kSqlite:
      session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t",
          soci::use(name), soci::into(count);
      break;
    case Dialect::kPostgres:
      session << "SELECT count(*) FROM information_schema.tables "
                 "WHERE table_schema = current_schema() AND table_name = :t",
          soci::use(name), soci::into(count);
      break;
    case Dialect::kMysql:
      session << "SELECT count(*) FROM information_schema.tables "
                 "WHERE table_schema = DATABASE() AND table_name = :t",
          soci::use(name), soci::into(count);
      break;
  }
  return count > 0;
}

bool Database::ColumnExists(soci::session& session, std::string_view table,
                            std::string_view column) const {
  const std::string table_name(table);
  const std::string column_name(column);
  int count = 0;
  switch (dialect_) {
    case Dialect::kSqlite:
      session << "SELECT count(*) FROM pragma_table_info(:t) WHERE name = :c",
          soci::use(table_name), soci::use(column_name), soci::into(count);
      break;
    case Dialect::kPostgres:
      session << "SELECT count(*) FROM information_schema.columns "
                 "WHERE table_schema = current_schema() AND table_name = :t AND column_name = :c",
          soci::use(table_name), soci::use(column_name), soci::into(count);
      break;
    case Dialect::kMysql:
      session << "SELECT count(*) FROM information_schema.columns "
                 "WHERE table_schema = DATABASE() AND table_name = :t AND column_name = :c",
          soci::use(table_name), soci::use(column_name), soci::into(count);
      break;
  }
  return count > 0;
}

bool Database::IndexExists(soci::session& session, std::string_view table,
                           std::string_view index) const {
  const std::string table_name(table);
  const std::string index_name(index);
  int count = 0;
  switch (dialect_) {
    case Dialect::kSqlite:
      session << "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = :i",
          soci::use(index_name), soci::into(count);
      break;
    case Dialect::kPostgres:
      session << "SELECT count(*) FROM pg_indexes "
                 "WHERE schemaname = current_schema() AND indexname = :i",
          soci::use(index_name), soci::into(count);
      break;
    case Dialect::kMysql:
      session << "SELECT count(*) FROM information_schema.statistics "
                 "WHERE table_schema = DATABASE() AND table_name = :t AND index_name = :i",
          soci::use(table_name), soci::use(index_name), soci::into(count);
      break;
  }
  return count > 0;
}

}  // namespace md::store
