// DDL generation per dialect (Grafana's xorm type mapping and index names).
#include "store/schema/table.h"

#include <gtest/gtest.h>

namespace md::store::schema {
namespace {

class DialectOnly : public Database {
 public:
  explicit DialectOnly(Dialect dialect) : Database(dialect) {}
};

Table Sample() {
  return {"data_keys",
          {{.name = "name", .type = ColumnType::kVarchar, .length = 100, .nullable = false,
            .primary_key = true},
           {.name = "active", .type = ColumnType::kBool, .default_value = "1"},
           {.name = "encrypted_data", .type = ColumnType::kBlob, .nullable = false},
           {.name = "created", .type = ColumnType::kDateTime, .nullable = false}},
          {{.columns = {"name", "active"}, .unique = true}}};
}

TEST(StoreSchemaTableTest, SqliteUsesGrafanaTypes) {
  DialectOnly db(Dialect::kSqlite);
  const std::string sql = CreateTableSql(db, Sample());
  EXPECT_NE(sql.find("\"name\" TEXT NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\"active\" INTEGER DEFAULT 1"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\"encrypted_data\" BLOB NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\"created\" DATETIME NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("PRIMARY KEY (\"name\")"), std::string::npos) << sql;
}

TEST(StoreSchemaTableTest, PostgresUsesByteaTimestampBool) {
  DialectOnly db(Dialect::kPostgres);
  const std::string sql = CreateTableSql(db, Sample());
  EXPECT_NE(sql.find("\"name\" VARCHAR(100) NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\"active\" BOOL DEFAULT true"), std::string::npos) << sql;
  EXPECT_NE(sql.find("BYTEA NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("TIMESTAMP NOT NULL"), std::string::npos) << sql;
}

TEST(StoreSchemaTableTest, MysqlUsesBackticksTinyintAndUtf8mb4) {
  DialectOnly db(Dialect::kMysql);
  const std::string sql = CreateTableSql(db, Sample());
  EXPECT_NE(sql.find("`active` TINYINT(1) DEFAULT 1"), std::string::npos) << sql;
  EXPECT_NE(sql.find("`encrypted_data` BLOB NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("utf8mb4"), std::string::npos) << sql;
}

TEST(StoreSchemaTableTest, AutoIncrementKeysPerDialect) {
  const Column id{.name = "id", .type = ColumnType::kBigInt, .nullable = false,
                  .primary_key = true, .auto_increment = true};
  EXPECT_EQ(ColumnDefinition(DialectOnly(Dialect::kSqlite), id),
            "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL");
  EXPECT_EQ(ColumnDefinition(DialectOnly(Dialect::kPostgres), id),
            "\"id\" BIGSERIAL NOT NULL PRIMARY KEY");
  EXPECT_EQ(ColumnDefinition(DialectOnly(Dialect::kMysql), id),
            "`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY");
}

TEST(StoreSchemaTableTest, IndexNamesFollowGrafana) {
  EXPECT_EQ(IndexName("data_source", {.columns = {"org_id", "name"}, .unique = true}),
            "UQE_data_source_org_id_name");
  EXPECT_EQ(IndexName("secrets", {.columns = {"org_id"}}), "IDX_secrets_org_id");
  EXPECT_EQ(CreateIndexSql(DialectOnly(Dialect::kMysql), "user", {.columns = {"login"},
                                                                  .unique = true}),
            "CREATE UNIQUE INDEX `UQE_user_login` ON `user` (`login`)");
}

TEST(StoreSchemaTableTest, QuoteDoublesEmbeddedQuotes) {
  EXPECT_EQ(DialectOnly(Dialect::kPostgres).Quote("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(DialectOnly(Dialect::kMysql).Quote("a`b"), "`a``b`");
}

}  // namespace
}  // namespace md::store::schema
