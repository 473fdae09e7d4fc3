// The acid test of compatibility: real databases written by Grafana (../shared/fixtures) — SQLite
// files copied to a temporary directory, a pg_dump loaded into a fresh database of the test
// PostgreSQL server — verified, re-encrypted and rolled back with every plaintext unchanged and
// none of Grafana's own tables touched beyond the secret columns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <set>

#include "operations/secrets_migrator.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::operations {
namespace {

namespace fs = std::filesystem;
using Plaintexts = std::multiset<std::pair<std::string, std::string>>;  // (table.column, plaintext)

struct Fixture {
  const char* file;
  std::vector<std::pair<std::string, std::string>> expected;  // must be among the plaintexts
  bool has_data_keys = true;
  store::Dialect dialect = store::Dialect::kSqlite;  // kPostgres: `file` is a pg_dump script
};

const Fixture kFixtures[] = {
    {"TontonPizza__ft_services__aaa3986d__srcs_grafana_srcs_grafana.db",
     {{"data_source.secure_json_data", "admin"}},
     /*has_data_keys=*/false},
    {"Sampa-USP__Thor__6a326631__grafana.db", {{"secrets.value", "{}"}}},
    {"FranckPachot__yb-perf-hub__f3595aa1__grafana.db",
     {{"data_source.secure_json_data", "yugabyte"}, {"secrets.value", "{\"password\":\"yugabyte\"}"}}},
    {"Naybeer__modbus__05b8c317__grafana_data_grafana.db",
     {{"data_source.secure_json_data", "1234"},
      {"secrets.value", "{\"basicAuthPassword\":\"1234\",\"password\":\"1234\"}"}}},
    {"iqbalaydrus__youtube__38419e3d__20240530-prometheus-demo_docker-volume_postgres_init_dump.sql",
     {{"secrets.value", "{}"}},
     /*has_data_keys=*/true,
     store::Dialect::kPostgres},
};

fs::path FixturePath(const Fixture& fixture) {
  return fs::path(MD_SHARED_DIR) / "fixtures/grafana-databases" / fixture.file;
}

// Loads a pg_dump script with psql, as an operator restoring it would, minus the `ALTER ...
// OWNER TO grafana` lines: the dump's role does not exist on the test server.
Status LoadPostgresDump(const fs::path& dump, const config::DatabaseSettings& database, const fs::path& dir) {
  const std::string::size_type colon = database.host.rfind(':');
  const std::string conninfo = "host=" + database.host.substr(0, colon) + " port=" +
                               database.host.substr(colon + 1) + " dbname=" + database.name +
                               " user=" + database.user + " password=" + database.password;
  const fs::path log = dir / "psql.log";
  const std::string command = "sed '/ OWNER TO grafana;$/d' '" + dump.string() +
                              "' | psql -X -q -v ON_ERROR_STOP=1 '" + conninfo + "' >'" +
                              log.string() + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    return InternalError("psql could not load " + dump.filename().string() + ", see " + log.string());
  }
  return OkStatus();
}

class GrafanaFixtureTest : public ::testing::TestWithParam<Fixture> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("md-fixture-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    Result<store::testing::TestDatabase> created = store::testing::TestDatabase::Create(GetParam().dialect);
    if (!created.ok() && created.status().code() == StatusCode::kFailedPrecondition &&
        !store::testing::DatabasesRequired()) {
      GTEST_SKIP() << created.status().message();
    }
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    database_ = std::make_unique<store::testing::TestDatabase>(std::move(*created));
    const config::DatabaseSettings settings = database_->settings();
    if (GetParam().dialect == store::Dialect::kPostgres) {
      Status loaded = LoadPostgresDump(FixturePath(GetParam()), settings, dir_);
      ASSERT_TRUE(loaded.ok()) << loaded.ToString();
    } else {
      fs::copy_file(FixturePath(GetParam()), settings.path);
    }
    process_ = secrets::StartProcess(settings, secrets::kDefaultSecretKey, {}, /*migrate=*/false);
    ASSERT_NE(process_, nullptr);
  }
  void TearDown() override {
    process_.reset();
    database_.reset();
    fs::remove_all(dir_);
  }
  SecretsMigrator Migrator() {
    return SecretsMigrator(*process_->db, *process_->manager, progress_);
  }
  // Every value's plaintext, by column, read through a walk that writes nothing.
  Plaintexts Snapshot() {
    Plaintexts out;
    std::mutex mu;
    TableWalker walker(*process_->db, {1000, /*dry_run=*/true, 1});
    std::vector<RowFailure> failures;
    for (const auto& column : SecretColumns()) {
      walker.Walk(column, [&](ByteView blob) -> Result<std::optional<Bytes>> {
        ASSIGN_OR_RETURN(SecretBytes plain, process_->manager->Decrypt(blob));
        std::lock_guard<std::mutex> lock(mu);
        out.insert({ColumnName(column), plain.InsecureString()});
        return std::optional<Bytes>();
      }, failures);
    }
    EXPECT_TRUE(failures.empty()) << failures.front().reason;
    return out;
  }
  long long Count(const std::string& sql) {
    long long n = 0;
    *process_->db->Lease() << sql, soci::into(n);
    return n;
  }

  // Grafana's tables (not ours, md_*), to show that none is created or dropped.
  long long GrafanaTables() {
    return Count(GetParam().dialect == store::Dialect::kSqlite
                     ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'md_%'"
                     : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' "
                       "AND table_name NOT LIKE 'md_%'");
  }

  fs::path dir_;
  std::unique_ptr<store::testing::TestDatabase> database_;
  std::unique_ptr<secrets::TestProcess> process_;
  Progress progress_;
};

TEST_P(GrafanaFixtureTest, VerifiesReEncryptsAndRollsBackWithEveryPlaintextUnchanged) {
  long long migrations = Count("SELECT COUNT(*) FROM migration_log");
  long long tables = GrafanaTables();
  Plaintexts before = Snapshot();
  ASSERT_FALSE(before.empty());
  for (const auto& e : GetParam().expected) EXPECT_GT(before.count(e), 0u) << e.first << " " << e.second;

  auto verify = Migrator().Verify({});
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok()) << verify->ToText();

  auto reencrypt = Migrator().ReEncrypt({});
  if (!GetParam().has_data_keys) {
    EXPECT_THAT(reencrypt.status().message(), ::testing::HasSubstr("no data_keys table"));
  } else {
    ASSERT_TRUE(reencrypt.ok()) << reencrypt.status().ToString();
    EXPECT_TRUE(reencrypt->ok()) << reencrypt->ToText();
    EXPECT_GT(reencrypt->TotalChanged(), 0);
  }
  EXPECT_EQ(Snapshot(), before);

  auto rollback = Migrator().Rollback({});
  ASSERT_TRUE(rollback.ok()) << rollback.status().ToString();
  EXPECT_TRUE(rollback->ok()) << rollback->ToText();
  EXPECT_EQ(Snapshot(), before);
  if (GetParam().has_data_keys) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM data_keys"), 0);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM migration_log"), migrations);
  EXPECT_EQ(GrafanaTables(), tables);
}

std::string FixtureName(const ::testing::TestParamInfo<Fixture>& param_info) {
  std::string owner(param_info.param.file);
  owner = owner.substr(0, owner.find("__"));
  for (char& c : owner) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return owner + (param_info.param.dialect == store::Dialect::kPostgres ? "_Postgres" : "_Sqlite");
}

INSTANTIATE_TEST_SUITE_P(RealDatabases, GrafanaFixtureTest, ::testing::ValuesIn(kFixtures), FixtureName);

}  // namespace
}  // namespace md::operations
