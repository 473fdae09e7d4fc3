#include "store/testing/test_database.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string_view>
#include <utility>

#include "store/soci.h"  // before any other SOCI header
#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>

#include "store/migrator.h"

namespace md::store {
void PrintTo(Dialect dialect, std::ostream* os) { *os << DialectName(dialect); }
}  // namespace md::store

namespace md::store::testing {
namespace {

constexpr char kPostgresVariable[] = "MD_TEST_POSTGRES";
constexpr char kMysqlVariable[] = "MD_TEST_MYSQL";

// "k=v k='v w'" -> {k: v}. Enough for the conninfo strings of the test scripts.
std::map<std::string, std::string> ParseKeyValues(std::string_view text) {
  std::map<std::string, std::string> values;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') {
      ++i;
    }
    const size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) {
      break;
    }
    std::string key(text.substr(i, eq - i));
    std::string value;
    i = eq + 1;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          ++i;
        }
        value += text[i];
      }
      ++i;
    } else {
      for (; i < text.size() && text[i] != ' '; ++i) {
        value += text[i];
      }
    }
    values[key] = value;
  }
  return values;
}

std::string RandomSuffix() {
  std::random_device device;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string suffix;
  for (int i = 0; i < 12; ++i) {
    suffix += "0123456789abcdef"[digit(device)];
  }
  return suffix;
}

std::string Get(const std::map<std::string, std::string>& values, const std::string& key,
                const std::string& fallback) {
  auto it = values.find(key);
  return it == values.end() || it->second.empty() ? fallback : it->second;
}

config::DatabaseSettings BaseSettings() {
  config::DatabaseSettings settings;
  settings.max_open_conn = 4;
  settings.busy_timeout = std::chrono::seconds(10);
  return settings;
}

}  // namespace

bool DatabasesRequired() {
  const char* value = std::getenv("MD_REQUIRE_DATABASES");
  return value != nullptr && std::string_view(value) == "1";
}

Result<TestDatabase> TestDatabase::Create(Dialect dialect) {
  config::DatabaseSettings settings = BaseSettings();
  const std::string database = "md_t_" + RandomSuffix();
  if (dialect == Dialect::kSqlite) {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir_template = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                               "/" + database + "_XXXXXX";
    if (mkdtemp(dir_template.data()) == nullptr) {
      return UnavailableError("cannot create a temporary directory for SQLite");
    }
    settings.type = "sqlite3";
    settings.path = dir_template + "/grafana.db";
    return TestDatabase(dialect, settings, "", dir_template);
  }
  const bool postgres = dialect == Dialect::kPostgres;
  const char* variable = postgres ? kPostgresVariable : kMysqlVariable;
  const char* admin = std::getenv(variable);
  if (admin == nullptr || *admin == '\0') {
    return FailedPreconditionError(std::string(variable) + " is not set");
  }
  const std::map<std::string, std::string> values = ParseKeyValues(admin);
  settings.type = postgres ? "postgres" : "mysql";
  settings.host = Get(values, "host", "127.0.0.1") + ":" +
                  Get(values, "port", postgres ? "5432" : "3306");
  settings.name = database;
  settings.user = Get(values, "user", "root");
  settings.password = Get(values, "password", "");
  settings.ssl_mode = Get(values, "sslmode", "disable");
  try {
    if (postgres) {
      soci::session session(soci::postgresql, admin);
      session << "CREATE DATABASE " << database;
    } else {
      soci::session session(soci::mysql, admin);
      session << "CREATE DATABASE " << database
              << " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    }
  } catch (const std::exception& e) {
    return StatusFromException(e, std::string("creating a test database with ") + variable);
  }
  return TestDatabase(dialect, settings, admin, database);
}

TestDatabase::TestDatabase(Dialect dialect, config::DatabaseSettings settings, std::string admin,
                           std::string cleanup)
    : dialect_(dialect),
      settings_(std::move(settings)),
      admin_(std::move(admin)),
      cleanup_(std::move(cleanup)) {}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : dialect_(other.dialect_),
      settings_(std::move(other.settings_)),
      admin_(std::move(other.admin_)),
      cleanup_(std::exchange(other.cleanup_, std::string())) {}

TestDatabase& TestDatabase::operator=(TestDatabase&& other) noexcept {
  if (this != &other) {
    Destroy();
    dialect_ = other.dialect_;
    settings_ = std::move(other.settings_);
    admin_ = std::move(other.admin_);
    cleanup_ = std::exchange(other.cleanup_, std::string());
  }
  return *this;
}

TestDatabase::~TestDatabase() { Destroy(); }

void TestDatabase::Destroy() {
  if (cleanup_.empty()) {
    return;
  }
  try {
    if (dialect_ == Dialect::kSqlite) {
      std::filesystem::remove_all(cleanup_);
    } else if (dialect_ == Dialect::kPostgres) {
      soci::session session(soci::postgresql, admin_);
      session << "DROP DATABASE IF EXISTS " << cleanup_ << " WITH (FORCE)";
    } else {
      soci::session session(soci::mysql, admin_);
      session << "DROP DATABASE IF EXISTS " << cleanup_;
    }
  } catch (const std::exception& e) {
    std::cerr << "warning: cannot drop test database " << cleanup_ << ": " << e.what() << "\n";
  }
  cleanup_.clear();
}

std::string TestDatabase::NameOf(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite:
      return "Sqlite";
    case Dialect::kPostgres:
      return "Postgres";
    case Dialect::kMysql:
      return "Mysql";
  }
  return "Unknown";
}

Result<std::vector<TestDatabase>> AvailableTestDatabases() {
  std::vector<TestDatabase> databases;
  for (Dialect dialect : DialectList()) {
    Result<TestDatabase> created = TestDatabase::Create(dialect);
    if (created.ok()) {
      databases.push_back(std::move(*created));
    } else if (created.status().code() != StatusCode::kFailedPrecondition ||
               DatabasesRequired()) {
      return created.status();
    }
  }
  return databases;
}

std::vector<Dialect> DialectList() {
  return {Dialect::kSqlite, Dialect::kPostgres, Dialect::kMysql};
}

::testing::internal::ParamGenerator<Dialect> AllDialects() {
  return ::testing::ValuesIn(DialectList());
}

std::string DialectTestName(const ::testing::TestParamInfo<Dialect>& info) {
  return TestDatabase::NameOf(info.param);
}

void DatabaseTest::SetUp() {
  Result<TestDatabase> created = TestDatabase::Create(GetParam());
  if (!created.ok()) {
    if (created.status().code() == StatusCode::kFailedPrecondition && !DatabasesRequired()) {
      GTEST_SKIP() << created.status().message() << " (set it to run on this dialect)";
    }
    FAIL() << created.status().ToString()
           << (DatabasesRequired() ? " (MD_REQUIRE_DATABASES=1)" : "");
  }
  test_database_ = std::make_unique<TestDatabase>(std::move(*created));
  Result<std::unique_ptr<Database>> opened = Database::Open(test_database_->settings());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db_ = std::move(*opened);
  if (Migrated()) {
    Status migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  }
}

void DatabaseTest::TearDown() {
  db_.reset();
  test_database_.reset();
}

std::unique_ptr<Database> DatabaseTest::OpenAnother() {
  Result<std::unique_ptr<Database>> opened = Database::Open(test_database_->settings());
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(*opened) : nullptr;
}

}  // namespace md::store::testing
