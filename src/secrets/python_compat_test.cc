// Cross-checks against an independent implementation of the formats
// (tests/compat/grafana_reference.py, Python + `cryptography`) over a real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

#include "crypto/storage_encoding.h"
#include "secrets/secrets_test_env.h"

namespace md::secrets {
namespace {

const std::string kScript = std::string(MD_SOURCE_DIR) + "/tests/compat/grafana_reference.py";

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

class PythonCompatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("md-compat-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    settings_.type = "sqlite3";
    settings_.path = (dir_ / "compat.db").string();
    process_ = StartProcess(settings_);
    ASSERT_NE(process_, nullptr);
  }
  void TearDown() override {
    process_.reset();
    std::filesystem::remove_all(dir_);
  }
  void AddDataSource(const std::string& name, const std::map<std::string, std::string>& secrets) {
    std::map<std::string, Bytes> encrypted;
    for (const auto& [k, v] : secrets) encrypted[k] = *process_->manager->Encrypt(AsBytes(v));
    std::string json = crypto::EncodeSecureJsonMap(encrypted);
    *process_->db->Lease() << "INSERT INTO data_source (org_id, version, type, name, access, url, \"user\", "
                              "\"database\", basic_auth, with_credentials, is_default, json_data, "
                              "secure_json_data, read_only, uid, created, updated) VALUES (1, 1, 'prometheus', "
                              ":n, 'proxy', '', '', '', 0, 0, 0, '{}', :j, 0, :u, '2024-01-01 00:00:00', "
                              "'2024-01-01 00:00:00')",
        soci::use(name), soci::use(json), soci::use(name);
  }

  std::filesystem::path dir_;
  config::DatabaseSettings settings_;
  std::unique_ptr<TestProcess> process_;
};

TEST_F(PythonCompatTest, ValuesWrittenHereDecryptWithTheReferenceImplementation) {
  AddDataSource("prom", {{"basicAuthPassword", "SuperSecureP@ssw0rd"}, {"token", ""}});
  AddDataSource("pg", {{"password", "p\xc3\xa4ss #*\"'"}});
  std::string out = RunCommand("/usr/bin/python3 " + kScript + " read " + settings_.path + " " + kDefaultSecretKey);
  auto json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << out;
  EXPECT_EQ(json["prom"]["basicAuthPassword"], "SuperSecureP@ssw0rd");
  EXPECT_EQ(json["prom"]["token"], "");
  EXPECT_EQ(json["pg"]["password"], "p\xc3\xa4ss #*\"'");
}

TEST_F(PythonCompatTest, ValuesWrittenByTheReferenceImplementationDecryptHere) {
  RunCommand("/usr/bin/python3 " + kScript + " write " + settings_.path + " " + kDefaultSecretKey + " py-ds hunter2");
  std::string stored;
  *process_->db->Lease() << "SELECT secure_json_data FROM data_source WHERE name = 'py-ds'", soci::into(stored);
  auto map = crypto::DecodeSecureJsonMap(stored);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->size(), 2u);
  for (const auto& [key, blob] : *map) {
    auto plain = process_->manager->Decrypt(blob);
    ASSERT_TRUE(plain.ok()) << key << ": " << plain.status().ToString();
    EXPECT_EQ(plain->InsecureString(), "hunter2") << key;
  }
}

}  // namespace
}  // namespace md::secrets
