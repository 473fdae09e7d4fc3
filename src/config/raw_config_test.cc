#include "config/raw_config.h"

#include <gtest/gtest.h>

#include "config/temp_home_for_test.h"

namespace md::config {
namespace {

LoadOptions Options(const std::string& homepath) {
  LoadOptions options;
  options.homepath = homepath;
  return options;
}

class RawConfigTest : public ::testing::Test {
 protected:
  std::string Value(const std::string& section, const std::string& key) {
    auto raw = LoadRawConfig(options_);
    EXPECT_TRUE(raw.ok()) << raw.status().ToString();
    if (!raw.ok()) {
      return "<error>";
    }
    const std::string* v = raw->ini.Get(section, key);
    return v == nullptr ? "<absent>" : *v;
  }

  TempHome home_;
  LoadOptions options_ = Options(home_.path());
};

TEST(EnvKeyTest, FollowsGrafanaRule) {
  EXPECT_EQ(EnvKey("security", "secret_key"), "GF_SECURITY_SECRET_KEY");
  EXPECT_EQ(EnvKey("security.encryption", "data_keys_cache_ttl"),
            "GF_SECURITY_ENCRYPTION_DATA_KEYS_CACHE_TTL");
  EXPECT_EQ(EnvKey("security.encryption.awskms.example-encryption-key", "key_id"),
            "GF_SECURITY_ENCRYPTION_AWSKMS_EXAMPLE_ENCRYPTION_KEY_KEY_ID");
  EXPECT_EQ(EnvKey("feature_toggles", "enable"), "GF_FEATURE_TOGGLES_ENABLE");
  EXPECT_EQ(EnvKey("a-b", "c-d.e"), "GF_A_B_C-D_E");  // '-' replaced in the section name only
}

TEST_F(RawConfigTest, DefaultsAreLoaded) {
  EXPECT_EQ(Value("server", "http_port"), "3000");
  EXPECT_EQ(Value("security", "secret_key"), "SW2YcwTIb9zpOOhoPsMm");
}

TEST_F(RawConfigTest, LayersApplyInGrafanaOrder) {
  home_.Write("conf/custom.ini", "[server]\nhttp_port = 4000\nhttp_addr = 127.0.0.2\n");
  EXPECT_EQ(Value("server", "http_port"), "4000");
  options_.overrides = {"cfg:default.server.http_port=5000", "cfg:default.log.level=debug"};
  EXPECT_EQ(Value("server", "http_port"), "4000");  // the custom file beats cfg:default.
  EXPECT_EQ(Value("log", "level"), "debug");
  options_.environment = {{"GF_SERVER_HTTP_PORT", "6000"}};
  EXPECT_EQ(Value("server", "http_port"), "6000");  // env beats the custom file
  options_.overrides.push_back("cfg:server.http_port=7000");
  EXPECT_EQ(Value("server", "http_port"), "7000");  // cfg: beats env
  EXPECT_EQ(Value("server", "http_addr"), "127.0.0.2");
}

TEST_F(RawConfigTest, ConfigFlagReplacesCustomIni) {
  home_.Write("conf/custom.ini", "[server]\nhttp_port = 4000\n");
  home_.Write("other.ini", "[server]\nhttp_port = 4100\n");
  options_.config_file = "other.ini";  // relative to homepath, as in Grafana
  EXPECT_EQ(Value("server", "http_port"), "4100");
}

TEST_F(RawConfigTest, MissingFilesAreErrors) {
  options_.config_file = "nope.ini";
  auto raw = LoadRawConfig(options_);
  ASSERT_FALSE(raw.ok());
  EXPECT_NE(raw.status().message().find("nope.ini"), std::string::npos);
  options_ = Options(home_.path() + "/missing");
  EXPECT_FALSE(LoadRawConfig(options_).ok());
}

TEST_F(RawConfigTest, EmptyEnvValuesAreIgnored) {
  options_.environment = {{"GF_SERVER_HTTP_PORT", ""}};
  EXPECT_EQ(Value("server", "http_port"), "3000");
}

TEST_F(RawConfigTest, EnvAddsAbsentKeysOnlyToExistingProviderSections) {
  home_.Write("conf/custom.ini", "[security.encryption.awskms.my-key]\nregion = eu-west-1\n");
  options_.environment = {{"GF_SECURITY_ENCRYPTION_AWSKMS_MY_KEY_KEY_ID", "alias/x"},
                          {"GF_SECURITY_ENCRYPTION_AWSKMS_MY_KEY_REGION", "us-east-1"},
                          {"GF_SECURITY_ENCRYPTION_AZUREKV_OTHER_KEY_ID", "k"},
                          {"GF_SERVER_UNKNOWN_KEY", "x"}};
  EXPECT_EQ(Value("security.encryption.awskms.my-key", "key_id"), "alias/x");
  EXPECT_EQ(Value("security.encryption.awskms.my-key", "region"), "us-east-1");
  EXPECT_EQ(Value("security.encryption.azurekv.other", "key_id"), "<absent>");
  EXPECT_EQ(Value("server", "unknown_key"), "<absent>");
}

TEST_F(RawConfigTest, OverridesMayCreateKeysAndNeedTheCfgForm) {
  options_.overrides = {"cfg:security.encryption.awskms.p.key_id=abc=def"};
  EXPECT_EQ(Value("security.encryption.awskms.p", "key_id"), "abc=def");
  for (const char* bad : {"server.http_port=1", "cfg:http_port=1", "cfg:server.http_port"}) {
    options_.overrides = {bad};
    EXPECT_FALSE(LoadRawConfig(options_).ok()) << bad;
  }
}

TEST_F(RawConfigTest, ExpandsEnvAndFile) {
  const std::string secret_file = home_.Write("secret.txt", "  from-file\n\n");
  home_.Write("conf/custom.ini", "[database]\nuser = $__env{DB_USER}\npassword = $__file{" +
                                     secret_file + "}\nname = pre-$__env{UNSET}-post\n");
  options_.environment = {{"DB_USER", "alice"}};
  EXPECT_EQ(Value("database", "user"), "alice");
  EXPECT_EQ(Value("database", "password"), "from-file");
  EXPECT_EQ(Value("database", "name"), "pre--post");
}

TEST_F(RawConfigTest, ExpandsValuesComingFromEnvAndOverrides) {
  options_.environment = {{"GF_DATABASE_USER", "$__env{REAL_USER}"}, {"REAL_USER", "bob"}};
  EXPECT_EQ(Value("database", "user"), "bob");
}

TEST_F(RawConfigTest, MissingExpansionFileIsAnError) {
  options_.overrides = {"cfg:database.password=$__file{/nonexistent/pw}"};
  auto raw = LoadRawConfig(options_);
  ASSERT_FALSE(raw.ok());
  EXPECT_NE(raw.status().message().find("database.password"), std::string::npos);
  options_.overrides = {"cfg:database.password=$__vault{x}"};
  EXPECT_FALSE(LoadRawConfig(options_).ok());
}

TEST(IsSecretKeyTest, CoversPasswordsKeysAndTokens) {
  for (const char* key : {"password", "admin_password", "secret_key", "previous_secret_key",
                          "secret_access_key", "client_secret", "token", "pin"}) {
    EXPECT_TRUE(IsSecretKey(key)) << key;
  }
  for (const char* key : {"key_id", "http_port", "user", "region"}) {
    EXPECT_FALSE(IsSecretKey(key)) << key;
  }
}

}  // namespace
}  // namespace md::config
