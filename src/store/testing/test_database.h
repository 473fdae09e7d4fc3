// Test databases for every dialect, for tests of the store and of everything above it.
//
// SQLite always runs (a fresh file in a fresh temporary directory). PostgreSQL and MySQL run when
// MD_TEST_POSTGRES (libpq conninfo: "host=127.0.0.1 port=55432 dbname=md_test user=md password=md")
// and MD_TEST_MYSQL ("host=127.0.0.1 port=53306 db=md_test user=md password=md") name a server;
// each TestDatabase creates its own database md_t_<random> there and drops it when destroyed.
// A missing variable skips the test, unless MD_REQUIRE_DATABASES=1, which makes it fail.
//
// The pattern to copy for a test that runs on every dialect:
//
//   class MyStoreTest : public md::store::testing::DatabaseTest {};
//   TEST_P(MyStoreTest, DoesSomething) { ... db() ... }   // migrated md::store::Database
//   INSTANTIATE_TEST_SUITE_P(AllDialects, MyStoreTest, md::store::testing::AllDialects(),
//                            md::store::testing::DialectTestName);
//
// The test names end in /Sqlite, /Postgres, /Mysql, so `ctest -R /Sqlite` selects one dialect.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/status.h"
#include "config/settings.h"
#include "store/database.h"

namespace md::store {
// Lets gtest print a Dialect parameter by name ("postgres") in failure messages.
void PrintTo(Dialect dialect, std::ostream* os);
}  // namespace md::store

namespace md::store::testing {

// True when MD_REQUIRE_DATABASES=1: an unset server variable is then a failure, not a skip.
bool DatabasesRequired();

// A fresh, empty database of one dialect; dropped (or its directory removed) on destruction.
// Move-only. Thread-compatible.
class TestDatabase {
 public:
  // FailedPrecondition when the dialect's server variable is unset (the test should skip unless
  // DatabasesRequired()); Unavailable when the server does not answer.
  static Result<TestDatabase> Create(Dialect dialect);

  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&& other) noexcept;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();

  Dialect dialect() const { return dialect_; }
  // "Sqlite" | "Postgres" | "Mysql": usable in test names.
  std::string name() const { return NameOf(dialect_); }
  static std::string NameOf(Dialect dialect);
  // Settings that Database::Open accepts (max_open_conn 4, busy_timeout 10s).
  config::DatabaseSettings settings() const { return settings_; }

 private:
  TestDatabase(Dialect dialect, config::DatabaseSettings settings, std::string admin,
               std::string cleanup);
  void Destroy();

  Dialect dialect_ = Dialect::kSqlite;
  config::DatabaseSettings settings_;
  std::string admin_;    // SOCI connect string of the server's admin database (empty for SQLite)
  std::string cleanup_;  // the database to drop, or the directory to remove; empty once moved
};

// One TestDatabase per dialect whose server is configured. FailedPrecondition when a variable is
// unset and DatabasesRequired(); any other failure to create one is returned as is.
Result<std::vector<TestDatabase>> AvailableTestDatabases();

// The three dialects, SQLite first.
std::vector<Dialect> DialectList();
// All three dialects, for INSTANTIATE_TEST_SUITE_P (unconfigured ones skip or fail in SetUp).
::testing::internal::ParamGenerator<Dialect> AllDialects();
std::string DialectTestName(const ::testing::TestParamInfo<Dialect>& info);

// A fixture over one dialect: SetUp creates a fresh database, opens it and migrates it (override
// Migrated() to get an empty database instead); it skips or fails as described above.
class DatabaseTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Whether SetUp runs Migrate. Default true.
  virtual bool Migrated() const { return true; }

  Database& db() { return *db_; }
  const TestDatabase& test_database() const { return *test_database_; }
  // Opens another Database (another pool) on the same test database, as a second process would.
  std::unique_ptr<Database> OpenAnother();

 private:
  std::unique_ptr<TestDatabase> test_database_;
  std::unique_ptr<Database> db_;
};

}  // namespace md::store::testing
