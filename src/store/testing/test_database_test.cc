// The test-database helper itself: fresh databases, removed on destruction.
#include "store/testing/test_database.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace md::store::testing {
namespace {

TEST(StoreTestDatabaseTest, AvailableDatabasesAreFreshAndRemovedOnDestruction) {
  std::string sqlite_dir;
  {
    Result<std::vector<TestDatabase>> databases = AvailableTestDatabases();
    ASSERT_TRUE(databases.ok()) << databases.status().ToString();
    ASSERT_FALSE(databases->empty());
    EXPECT_EQ(databases->front().dialect(), Dialect::kSqlite);
    for (TestDatabase& test_db : *databases) {
      SCOPED_TRACE(test_db.name());
      auto opened = Database::Open(test_db.settings());
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      auto session = (*opened)->Lease();
      EXPECT_FALSE((*opened)->TableExists(*session, "migration_log"));
    }
    sqlite_dir = std::filesystem::path(databases->front().settings().path).parent_path();
    EXPECT_TRUE(std::filesystem::exists(sqlite_dir));
  }
  EXPECT_FALSE(std::filesystem::exists(sqlite_dir));
}

TEST(StoreTestDatabaseTest, EachCreateGivesADifferentDatabase) {
  for (Dialect dialect : DialectList()) {
    Result<TestDatabase> a = TestDatabase::Create(dialect);
    Result<TestDatabase> b = TestDatabase::Create(dialect);
    if (!a.ok() && a.status().code() == StatusCode::kFailedPrecondition && !DatabasesRequired()) {
      continue;
    }
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_NE(a->settings().name + a->settings().path, b->settings().name + b->settings().path);
  }
}

}  // namespace
}  // namespace md::store::testing
