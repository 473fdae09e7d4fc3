// The acid test of compatibility: real databases written by Grafana (../shared/fixtures), copied
// to a temporary directory, verified, re-encrypted and rolled back with every plaintext unchanged
// and none of Grafana's own tables touched beyond the secret columns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <cctype>
#include <mutex>
#include <set>

#include "operations/secrets_migrator.h"
#include "secrets/secrets_test_env.h"

namespace md::operations {
namespace {

namespace fs = std::filesystem;
using Plaintexts = std::multiset<std::pair<std::string, std::string>>;  // (table.column, plaintext)

struct Fixture {
  const char* file;
  std::vector<std::pair<std::string, std::string>> expected;  // must be among the plaintexts
  bool has_data_keys = true;
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
};

class GrafanaFixtureTest : public ::testing::TestWithParam<Fixture> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("md-fixture-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    settings_.type = "sqlite3";
    settings_.path = (dir_ / "grafana.db").string();
    fs::copy_file(fs::path(MD_SHARED_DIR) / "fixtures/grafana-databases" / GetParam().file, settings_.path);
    process_ = secrets::StartProcess(settings_, secrets::kDefaultSecretKey, {}, /*migrate=*/false);
    ASSERT_NE(process_, nullptr);
  }
  void TearDown() override {
    process_.reset();
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

  fs::path dir_;
  config::DatabaseSettings settings_;
  std::unique_ptr<secrets::TestProcess> process_;
  Progress progress_;
};

TEST_P(GrafanaFixtureTest, VerifiesReEncryptsAndRollsBackWithEveryPlaintextUnchanged) {
  long long migrations = Count("SELECT COUNT(*) FROM migration_log");
  long long tables = Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'md_%'");
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
  if (Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'data_keys'") > 0) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM data_keys"), 0);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM migration_log"), migrations);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'md_%'"), tables);
}

std::string FixtureName(const ::testing::TestParamInfo<Fixture>& param_info) {
  std::string owner(param_info.param.file);
  owner = owner.substr(0, owner.find("__"));
  for (char& c : owner) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return owner;
}

INSTANTIATE_TEST_SUITE_P(RealDatabases, GrafanaFixtureTest, ::testing::ValuesIn(kFixtures), FixtureName);

}  // namespace
}  // namespace md::operations
