#include "kms/vault/vault_config.h"

#include <gtest/gtest.h>

namespace md::kms::vault {
namespace {

http::EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

config::ProviderSection Section(std::map<std::string, std::string> keys) {
  return {"hashicorpvault.prod", std::move(keys)};
}

std::map<std::string, std::string> Minimal() {
  return {{"url", "https://vault.example.com:8200"}, {"token", "hvs.SECRET"}, {"key_ring", "md"}};
}

std::string Error(std::map<std::string, std::string> keys, http::EnvLookup env = Env({})) {
  return ParseVaultConfig(Section(std::move(keys)), env).status().message();
}

TEST(VaultConfigTest, ParsesTheGrafanaKeysWithDefaults) {
  Result<VaultConfig> c = ParseVaultConfig(Section(Minimal()), Env({}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("hashicorpvault.prod", c->provider_id);
  EXPECT_EQ("vault.example.com:8200", c->url.HostHeader());
  EXPECT_EQ("transit", c->transit_path);
  EXPECT_EQ("md", c->key_ring);
  EXPECT_EQ(std::chrono::minutes(5), c->token_renewal_interval);
  EXPECT_EQ("hvs.SECRET", c->token.InsecureString());
}

TEST(VaultConfigTest, ReadsMountIntervalAndTuning) {
  auto keys = Minimal();
  keys["transit_engine_path"] = "/kms/transit-prod/";
  keys["token_renewal_interval"] = "90s";
  keys["max_attempts"] = "5";
  Result<VaultConfig> c = ParseVaultConfig(Section(keys), Env({}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("kms/transit-prod", c->transit_path);
  EXPECT_EQ(std::chrono::seconds(90), c->token_renewal_interval);
  EXPECT_EQ(5, c->retry.max_attempts);
  keys["token_renewal_interval"] = "0";
  EXPECT_EQ(0, ParseVaultConfig(Section(keys), Env({}))->token_renewal_interval.count());
}

TEST(VaultConfigTest, FallsBackToVaultAddrAndVaultToken) {
  Result<VaultConfig> c = ParseVaultConfig(
      Section({{"key_ring", "md"}}), Env({{"VAULT_ADDR", "http://127.0.0.1:8200"}, {"VAULT_TOKEN", "t"}}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("127.0.0.1:8200", c->url.HostHeader());
  EXPECT_EQ("t", c->token.InsecureString());
}

TEST(VaultConfigTest, ErrorsAreOneLineNamingTheKeyAndNeverTheToken) {
  auto keys = Minimal();
  keys.erase("key_ring");
  EXPECT_EQ("hashicorpvault.prod: key_ring is required", Error(keys));
  keys = Minimal();
  keys.erase("token");
  EXPECT_EQ("hashicorpvault.prod: token is required (or set VAULT_TOKEN)", Error(keys));
  keys = Minimal();
  keys.erase("url");
  EXPECT_EQ("hashicorpvault.prod: url is required (or set VAULT_ADDR)", Error(keys));
  keys = Minimal();
  keys["url"] = "http://vault.example.com";
  EXPECT_EQ("hashicorpvault.prod: url must use https (http is allowed only for loopback)", Error(keys));
  keys = Minimal();
  keys["key_ring"] = "a/b";
  EXPECT_EQ(0u, Error(keys).find("hashicorpvault.prod: key_ring must be"));
  keys = Minimal();
  keys["token_renewal_interval"] = "5 minutes";
  EXPECT_EQ(0u, Error(keys).find("hashicorpvault.prod: token_renewal_interval: bad duration"));
  keys = Minimal();
  keys["tokn"] = "x";
  EXPECT_EQ("hashicorpvault.prod: unknown key \"tokn\"", Error(keys));
  keys = Minimal();
  keys["token"] = "hvs.SECRET with space";
  EXPECT_EQ(std::string::npos, Error(keys).find("SECRET"));
}

}  // namespace
}  // namespace md::kms::vault
