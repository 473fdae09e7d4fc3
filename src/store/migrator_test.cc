// Migrate on every dialect: from empty, idempotent, concurrent, and over an older data_keys.
#include "store/migrator.h"

#include <thread>

#include <gtest/gtest.h>

#include "store/testing/test_database.h"

namespace md::store {
namespace {

class StoreMigratorTest : public testing::DatabaseTest {
 protected:
  bool Migrated() const override { return false; }

  int Count(const std::string& sql) {
    auto session = db().Lease();
    int count = 0;
    *session << sql, soci::into(count);
    return count;
  }
};

const char* const kTables[] = {"migration_log", "org",          "user",
                               "org_user",      "api_key",      "data_keys",
                               "secrets",       "data_source",  "plugin_setting",
                               "alert_configuration", "md_key_check", "md_operation_lock"};

TEST_P(StoreMigratorTest, CreatesEveryTableOnAnEmptyDatabase) {
  ASSERT_TRUE(Migrate(db()).ok());
  auto session = db().Lease();
  for (const char* table : kTables) {
    EXPECT_TRUE(db().TableExists(*session, table)) << table;
  }
  for (const char* column : {"name", "label", "active", "scope", "provider", "encrypted_data",
                             "created", "updated"}) {
    EXPECT_TRUE(db().ColumnExists(*session, "data_keys", column)) << column;
  }
  for (const char* column : {"secure_json_data", "password", "basic_auth_password", "uid",
                             "with_credentials", "read_only"}) {
    EXPECT_TRUE(db().ColumnExists(*session, "data_source", column)) << column;
  }
}

TEST_P(StoreMigratorTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(Migrate(db()).ok());
  const int recorded = Count("SELECT count(*) FROM migration_log");
  EXPECT_GT(recorded, 10);
  Status again = Migrate(db());
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM migration_log"), recorded);
  std::unique_ptr<Database> restarted = OpenAnother();  // a restarted process
  ASSERT_TRUE(Migrate(*restarted).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM migration_log"), recorded);
}

TEST_P(StoreMigratorTest, ConcurrentMigrationsFromTwoPoolsRecordEachMigrationOnce) {
  std::unique_ptr<Database> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  Status first;
  Status second;
  std::thread a([&] { first = Migrate(db()); });
  std::thread b([&] { second = Migrate(*other); });
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.ToString();
  ASSERT_TRUE(second.ok()) << second.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT migration_id FROM migration_log GROUP BY "
                  "migration_id HAVING count(*) > 1) dup"),
            0);
}

TEST_P(StoreMigratorTest, CreatesMainOrgAndLeavesTheIdSequenceAfterIt) {
  ASSERT_TRUE(Migrate(db()).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM org WHERE id = 1 AND name = 'Main Org.'"), 1);
  auto session = db().Lease();
  *session << "INSERT INTO org (version, name, created, updated) VALUES (0, 'Second', "
           << db().NowLiteral() << ", " << db().NowLiteral() << ")";
  EXPECT_EQ(Count("SELECT count(*) FROM org WHERE id = 2 AND name = 'Second'"), 1);
}

TEST_P(StoreMigratorTest, RecordsGrafanaDataKeysHistoryAsApplied) {
  ASSERT_TRUE(Migrate(db()).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM migration_log WHERE migration_id = "
                  "'rename data_keys id column back to name'"),
            1);
}

// A Grafana 8.3-era data_keys (no label column): the label is added and copied from name.
TEST_P(StoreMigratorTest, AddsLabelToAnOlderDataKeysTable) {
  {
    auto session = db().Lease();
    const std::string blob = db().dialect() == Dialect::kPostgres ? "BYTEA" : "BLOB";
    const std::string text = db().dialect() == Dialect::kSqlite ? "TEXT" : "VARCHAR(100)";
    *session << "CREATE TABLE data_keys (name " << text << " NOT NULL PRIMARY KEY, active "
             << (db().dialect() == Dialect::kPostgres ? "BOOL" : "INTEGER") << ", scope " << text
             << " NOT NULL, provider " << text << " NOT NULL, encrypted_data " << blob
             << " NOT NULL, created " << (db().dialect() == Dialect::kPostgres ? "TIMESTAMP" : "DATETIME")
             << " NOT NULL, updated "
             << (db().dialect() == Dialect::kPostgres ? "TIMESTAMP" : "DATETIME") << " NOT NULL)";
    *session << "INSERT INTO data_keys (name, active, scope, provider, encrypted_data, created, "
                "updated) VALUES ('2021-12-01/root@secretKey', "
             << db().BoolLiteral(true) << ", 'root', 'secretKey', " << db().BlobFromHex("'00ff'")
             << ", " << db().NowLiteral() << ", " << db().NowLiteral() << ")";
  }
  Status migrated = Migrate(db());
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM data_keys WHERE label = name"), 1);
}

INSTANTIATE_TEST_SUITE_P(AllDialects, StoreMigratorTest, testing::AllDialects(),
                         testing::DialectTestName);

}  // namespace
}  // namespace md::store
