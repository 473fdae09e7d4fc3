// ParseAzureKvConfig and KeyVaultKeyId: accepted forms, defaults and one-line errors.
#include "kms/azure/azure_kv_config.h"

#include <gtest/gtest.h>

namespace md::kms::azure {
namespace {

constexpr char kVersion[] = "f6bc1f3d37c14b2bb1a2ebb4b24e9535";
constexpr char kSecret[] = "s3cr3t~with&odd=chars";

http::EnvLookup NoEnv() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::map<std::string, std::string> Valid() {
  return {{"tenant_id", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
          {"client_id", "00001111-aaaa-2222-bbbb-3333cccc4444"},
          {"client_secret", kSecret},
          {"key_id", "metrics-dashboard"},
          {"vault_uri", "https://myvault.vault.azure.net/"}};
}

Result<AzureKvConfig> Parse(std::map<std::string, std::string> keys, const http::EnvLookup& env = NoEnv()) {
  return ParseAzureKvConfig({"azurekv.prod", std::move(keys)}, env);
}

std::string Error(std::map<std::string, std::string> changes, std::vector<std::string> removed = {}) {
  std::map<std::string, std::string> keys = Valid();
  for (const auto& key : removed) keys.erase(key);
  for (auto& [k, v] : changes) keys[k] = v;
  std::string message = Parse(keys).status().message();
  EXPECT_EQ(std::string::npos, message.find(kSecret));
  return message;
}

TEST(AzureKvConfigTest, ReadsGrafanasKeysWithDefaults) {
  Result<AzureKvConfig> c = Parse(Valid());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("azurekv.prod", c->provider_id);
  EXPECT_EQ("72f988bf-86f1-41af-91ab-2d7cd011db47", c->tenant_id);
  EXPECT_EQ(kSecret, c->client_secret.InsecureString());
  EXPECT_EQ("https://myvault.vault.azure.net/keys/metrics-dashboard", c->key.ToString());
  EXPECT_EQ("", c->key.version);
  EXPECT_EQ("https://login.microsoftonline.com/", c->authority_host.ToString());
  EXPECT_EQ("https://vault.azure.net/.default", c->scope);
  EXPECT_EQ("7.4", c->api_version);
  EXPECT_EQ("RSA-OAEP-256", c->algorithm);
  EXPECT_EQ(5, c->retry.max_attempts);
}

TEST(AzureKvConfigTest, KeyIdMayBeAVersionOrAFullKeyUrl) {
  auto keys = Valid();
  keys["key_id"] = std::string("metrics-dashboard/") + kVersion;
  EXPECT_EQ(kVersion, Parse(keys)->key.version);

  keys.erase("vault_uri");
  keys["key_id"] = std::string("https://hsm1.managedhsm.azure.net/keys/md/") + kVersion;
  Result<AzureKvConfig> c = Parse(keys);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("hsm1.managedhsm.azure.net", c->key.vault.host);
  EXPECT_EQ("md", c->key.name);
  EXPECT_EQ("https://managedhsm.azure.net/.default", c->scope);

  keys["key_id"] = "https://v.vault.azure.cn/keys/md";
  c = Parse(keys);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("https://login.chinacloudapi.cn/", c->authority_host.ToString());
  EXPECT_EQ("https://vault.azure.cn/.default", c->scope);
}

TEST(AzureKvConfigTest, TheEnvironmentFillsInTheIdentity) {
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AZURE_TENANT_ID") return "contoso.onmicrosoft.com";
    if (name == "AZURE_CLIENT_SECRET") return "from-env-secret";
    if (name == "AZURE_AUTHORITY_HOST") return "http://127.0.0.1:8080";
    return std::nullopt;
  };
  auto keys = Valid();
  keys.erase("tenant_id");
  keys.erase("client_secret");
  Result<AzureKvConfig> c = Parse(keys, env);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("contoso.onmicrosoft.com", c->tenant_id);
  EXPECT_EQ("from-env-secret", c->client_secret.InsecureString());
  EXPECT_EQ("http://127.0.0.1:8080/", c->authority_host.ToString());
}

TEST(AzureKvConfigTest, ErrorsAreOneLineNamingTheKey) {
  EXPECT_EQ("azurekv.prod: tenant_id is required (or set AZURE_TENANT_ID)", Error({}, {"tenant_id"}));
  EXPECT_EQ("azurekv.prod: tenant_id must be the directory (tenant) ID or a verified domain",
            Error({{"tenant_id", "common"}}));
  EXPECT_EQ("azurekv.prod: client_id is required (or set AZURE_CLIENT_ID)", Error({}, {"client_id"}));
  EXPECT_EQ("azurekv.prod: client_secret is required (or set AZURE_CLIENT_SECRET)", Error({}, {"client_secret"}));
  EXPECT_EQ("azurekv.prod: key_id is required", Error({}, {"key_id"}));
  EXPECT_EQ("azurekv.prod: vault_uri is required", Error({}, {"vault_uri"}));
  EXPECT_EQ(0u, Error({{"key_id", "bad_name"}}).find("azurekv.prod: key_id must be a key name"));
  EXPECT_EQ(0u, Error({{"key_id", "md/123"}}).find("azurekv.prod: key_id must be a key name"));
  EXPECT_EQ("azurekv.prod: key_id: a key URL looks like https://<vault>/keys/<name>[/<version>]",
            Error({{"key_id", "https://myvault.vault.azure.net/secrets/md"}}));
  EXPECT_EQ("azurekv.prod: key_id is a key in another vault than vault_uri",
            Error({{"key_id", "https://other.vault.azure.net/keys/md"}}));
  EXPECT_EQ("azurekv.prod: vault_uri must use https (http is allowed only for loopback)",
            Error({{"vault_uri", "http://myvault.vault.azure.net"}}));
  EXPECT_EQ("azurekv.prod: vault_uri must be the vault's base URL (https://<name>.vault.azure.net/)",
            Error({{"vault_uri", "https://myvault.vault.azure.net/keys"}}));
  EXPECT_EQ("azurekv.prod: authority_host must use https (http is allowed only for loopback)",
            Error({{"authority_host", "http://login.example.com"}}));
  EXPECT_EQ("azurekv.prod: algorithm must be RSA-OAEP-256 or RSA-OAEP", Error({{"algorithm", "RSA1_5"}}));
  EXPECT_EQ("azurekv.prod: api_version must look like 7.4 or 2025-07-01", Error({{"api_version", "7.4&x=1"}}));
  EXPECT_EQ("azurekv.prod: unknown key \"clientsecret\"", Error({{"clientsecret", kSecret}}));
  EXPECT_EQ("azurekv.prod: max_attempts must be 1..20", Error({{"max_attempts", "0"}}));
}

TEST(KeyVaultKeyIdTest, ParsesVersionedAndVersionlessKeyUrls) {
  Result<KeyVaultKeyId> id = ParseKeyVaultKeyId(std::string("https://MyVault.vault.azure.net/keys/md/") + kVersion);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ("md", id->name);
  EXPECT_EQ(kVersion, id->version);
  EXPECT_EQ(std::string("keys/md/") + kVersion + "/unwrapkey", id->OperationPath("unwrapkey"));
  EXPECT_EQ(std::string("https://MyVault.vault.azure.net/keys/md/") + kVersion, id->ToString());

  Result<KeyVaultKeyId> other = ParseKeyVaultKeyId("https://myvault.vault.azure.net:443/keys/MD/");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ("", other->version);
  EXPECT_TRUE(SameKey(*id, *other));
  EXPECT_FALSE(SameVault(id->vault, ParseKeyVaultKeyId("http://myvault.vault.azure.net/keys/md")->vault));

  EXPECT_FALSE(ParseKeyVaultKeyId("https://v.vault.azure.net/keys/md/notahexversion").ok());
  EXPECT_FALSE(ParseKeyVaultKeyId("https://v.vault.azure.net/keys/").ok());
  EXPECT_FALSE(ParseKeyVaultKeyId("https://v.vault.azure.net/keys/md?api-version=7.4").ok());
  EXPECT_FALSE(ParseKeyVaultKeyId(std::string("https://v.vault.azure.net/keys/md/") + kVersion + "/x").ok());
}

}  // namespace
}  // namespace md::kms::azure
