// SQLite specifics: file and directory creation, session pragmas, md_unhex errors.
#include <filesystem>

#include <gtest/gtest.h>

#include "store/database.h"
#include "store/migrator.h"
#include "store/testing/test_database.h"

namespace md::store {
namespace {

class StoreSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<testing::TestDatabase> created = testing::TestDatabase::Create(Dialect::kSqlite);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::make_unique<testing::TestDatabase>(std::move(*created));
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
};

TEST_F(StoreSqliteTest, OpenCreatesMissingParentDirectories) {
  config::DatabaseSettings settings = test_db_->settings();
  const std::filesystem::path dir = std::filesystem::path(settings.path).parent_path();
  settings.path = (dir / "a" / "b" / "grafana.db").string();
  auto opened = Database::Open(settings);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(settings.path));
}

TEST_F(StoreSqliteTest, EverySessionUsesWalNormalSyncBusyTimeoutAndForeignKeys) {
  auto opened = Database::Open(test_db_->settings());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Database& db = **opened;
  std::vector<LeasedSession> sessions;
  for (size_t i = 0; i < db.pool_size(); ++i) {
    sessions.push_back(db.Lease());
    soci::session& s = *sessions.back();
    std::string journal;
    int synchronous = -1;
    int busy = -1;
    int foreign_keys = -1;
    s << "PRAGMA journal_mode", soci::into(journal);
    s << "PRAGMA synchronous", soci::into(synchronous);
    s << "PRAGMA busy_timeout", soci::into(busy);
    s << "PRAGMA foreign_keys", soci::into(foreign_keys);
    EXPECT_EQ(journal, "wal");
    EXPECT_EQ(synchronous, 1);  // NORMAL
    EXPECT_EQ(busy, 10000);
    EXPECT_EQ(foreign_keys, 1);
    std::string hex;
    s << "SELECT hex(md_unhex('00FF10'))", soci::into(hex);
    EXPECT_EQ(hex, "00FF10");
  }
}

TEST_F(StoreSqliteTest, MalformedHexIsAnSqlError) {
  auto opened = Database::Open(test_db_->settings());
  ASSERT_TRUE(opened.ok());
  Status status = (*opened)->InTransaction([](soci::session& s) {
    std::string out;
    s << "SELECT hex(md_unhex('zz'))", soci::into(out);
    return OkStatus();
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("md_unhex"), std::string::npos) << status.message();
}

TEST_F(StoreSqliteTest, PathWithSpacesWorks) {
  config::DatabaseSettings settings = test_db_->settings();
  settings.path = (std::filesystem::path(settings.path).parent_path() / "with space" / "g.db").string();
  auto opened = Database::Open(settings);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(Migrate(**opened).ok());
  EXPECT_TRUE(std::filesystem::exists(settings.path));
}

TEST_F(StoreSqliteTest, UnwritableLocationIsUnavailable) {
  config::DatabaseSettings settings = test_db_->settings();
  settings.path = "/proc/md-no-such-dir/grafana.db";
  auto opened = Database::Open(settings);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
}

}  // namespace
}  // namespace md::store
