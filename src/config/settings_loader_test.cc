#include "config/settings_loader.h"

#include <gtest/gtest.h>

#include "config/temp_home_for_test.h"

namespace md::config {
namespace {

LoadOptions Options(const std::string& homepath) {
  LoadOptions options;
  options.homepath = homepath;
  return options;
}

using std::chrono::milliseconds;

class SettingsLoaderTest : public ::testing::Test {
 protected:
  Settings Load() {
    auto settings = LoadSettings(options_);
    EXPECT_TRUE(settings.ok()) << settings.status().ToString();
    return settings.ok() ? std::move(*settings) : Settings();
  }
  // The error message for one override.
  std::string ErrorFor(const std::string& override_arg) {
    options_.overrides = {override_arg};
    auto settings = LoadSettings(options_);
    EXPECT_FALSE(settings.ok()) << override_arg;
    EXPECT_EQ(settings.ok() ? StatusCode::kOk : settings.status().code(),
              StatusCode::kInvalidArgument);
    return settings.ok() ? "" : settings.status().message();
  }

  TempHome home_;
  LoadOptions options_ = Options(home_.path());
};

TEST_F(SettingsLoaderTest, DefaultsMatchTheShippedFile) {
  const Settings s = Load();
  EXPECT_EQ(s.homepath, home_.path());
  EXPECT_EQ(s.data_path, home_.path() + "/data");
  EXPECT_EQ(s.server.protocol, "http");
  EXPECT_EQ(s.server.http_addr, "0.0.0.0");
  EXPECT_EQ(s.server.http_port, 3000);
  EXPECT_EQ(s.server.read_timeout, milliseconds(30000));
  EXPECT_EQ(s.server.max_body_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(s.database.type, "sqlite3");
  EXPECT_EQ(s.database.path, home_.path() + "/data/metrics-dashboard.db");
  EXPECT_EQ(s.database.host, "127.0.0.1:5432");
  EXPECT_EQ(s.database.max_open_conn, 8);
  EXPECT_EQ(s.database.busy_timeout, milliseconds(10000));
  EXPECT_TRUE(s.security.secret_key.Equals(SecretBytes(std::string_view(kDefaultSecretKey))));
  EXPECT_TRUE(s.security.secret_key_is_default);
  EXPECT_TRUE(s.security.previous_secret_key.empty());
  EXPECT_EQ(s.security.encryption_provider, "secretKey.v1");
  EXPECT_TRUE(s.security.admin_password_is_default);
  EXPECT_EQ(s.security.admin_user, "admin");
  EXPECT_EQ(s.encryption.algorithm, "aes-cfb");
  EXPECT_EQ(s.encryption.data_keys_cache_ttl, milliseconds(15 * 60 * 1000));
  EXPECT_EQ(s.encryption.data_keys_cache_cleanup_interval, milliseconds(60 * 1000));
  EXPECT_EQ(s.encryption.data_keys_change_check_interval, milliseconds(5000));
  EXPECT_TRUE(s.encryption.providers.empty());
  EXPECT_EQ(s.log.level, "info");
  EXPECT_EQ(s.log.format, "logfmt");
  EXPECT_TRUE(s.features.enabled.empty());
}

TEST_F(SettingsLoaderTest, ReadsChangedValues) {
  options_.overrides = {"cfg:security.secret_key=another", "cfg:security.encryption_provider=secretKey",
                        "cfg:security.available_encryption_providers=awskms.a, azurekv.b",
                        "cfg:security.encryption.algorithm=AES-GCM", "cfg:paths.data=/var/md",
                        "cfg:database.path=x/y.db", "cfg:database.type=mysql",
                        "cfg:feature_toggles.enable=disableEnvelopeEncryption other",
                        "cfg:security.previous_secret_key=old"};
  const Settings s = Load();
  EXPECT_FALSE(s.security.secret_key_is_default);
  EXPECT_EQ(s.security.previous_secret_key.InsecureString(), "old");
  EXPECT_EQ(s.security.encryption_provider, "secretKey.v1");
  EXPECT_EQ(s.security.available_encryption_providers,
            (std::vector<std::string>{"awskms.a", "azurekv.b"}));
  EXPECT_EQ(s.encryption.algorithm, "aes-gcm");
  EXPECT_EQ(s.data_path, "/var/md");
  EXPECT_EQ(s.database.path, "/var/md/x/y.db");
  EXPECT_EQ(s.database.host, "127.0.0.1:3306");
  EXPECT_TRUE(s.features.IsEnabled("disableEnvelopeEncryption"));
  EXPECT_FALSE(s.features.IsEnabled("envelopeEncryption"));
}

TEST_F(SettingsLoaderTest, ProviderSectionsBecomeRawMaps) {
  home_.Write("conf/custom.ini",
              "[security.encryption.awskms.prod]\nkey_id = alias/x\n"
              "[security.encryption.hashicorpvault.v1]\nurl = http://localhost:8200\n");
  options_.environment = {{"GF_SECURITY_ENCRYPTION_HASHICORPVAULT_V1_TOKEN", "t0k"}};
  const Settings s = Load();
  ASSERT_EQ(s.encryption.providers.size(), 2u);
  EXPECT_EQ(s.encryption.providers[0].id, "awskms.prod");
  EXPECT_EQ(s.encryption.providers[0].keys.at("key_id"), "alias/x");
  EXPECT_EQ(s.encryption.providers[1].id, "hashicorpvault.v1");
  EXPECT_EQ(s.encryption.providers[1].keys.at("token"), "t0k");
}

TEST_F(SettingsLoaderTest, BadValuesNameKeyValueAndExpectation) {
  EXPECT_EQ(ErrorFor("cfg:server.http_port=abc"),
            "invalid value \"abc\" for server.http_port: expected an integer from 1 to 65535");
  EXPECT_EQ(ErrorFor("cfg:server.http_port=70000"),
            "invalid value \"70000\" for server.http_port: expected an integer from 1 to 65535");
  EXPECT_EQ(ErrorFor("cfg:server.protocol=ftp"),
            "invalid value \"ftp\" for server.protocol: expected one of http, https");
  EXPECT_EQ(ErrorFor("cfg:database.type=oracle"),
            "invalid value \"oracle\" for database.type: expected one of sqlite3, postgres, mysql");
  EXPECT_EQ(ErrorFor("cfg:security.encryption.data_keys_cache_ttl=15"),
            "invalid value \"15\" for security.encryption.data_keys_cache_ttl: expected a "
            "positive duration such as 500ms, 10s, 15m or 1h30m");
  EXPECT_NE(ErrorFor("cfg:server.read_timeout=soon").find("server.read_timeout"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:server.max_body_size=big").find("server.max_body_size"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:log.level=loud").find("log.level"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:log.format=xml").find("log.format"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:security.encryption.algorithm=des").find("algorithm"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:database.max_open_conn=0").find("max_open_conn"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:database.ssl_mode=maybe").find("ssl_mode"), std::string::npos);
  EXPECT_NE(ErrorFor("cfg:security.encryption_provider=awskms").find("<kind>.<name>"),
            std::string::npos);
}

TEST_F(SettingsLoaderTest, ErrorsAreOneLine) {
  const std::string message = ErrorFor("cfg:server.http_port=1\n2");
  EXPECT_NE(message.find("server.http_port"), std::string::npos);
  // The value is quoted as given; callers print the message on one line (see exe/).
}

TEST_F(SettingsLoaderTest, SecretValuesAreHiddenInErrors) {
  const std::string message = ErrorFor("cfg:security.secret_key=");
  EXPECT_EQ(message, "invalid value (hidden) for security.secret_key: expected a non-empty key");
  const std::string vault = ErrorFor("cfg:security.secret_key=$__vault{kv/secret-value}");
  EXPECT_EQ(vault.find("secret-value"), std::string::npos);
}

TEST_F(SettingsLoaderTest, PreviousSecretKeyEqualToSecretKeyIsRefusedWithoutShowingIt) {
  options_.overrides = {"cfg:security.secret_key=s4me-k3y", "cfg:security.previous_secret_key=s4me-k3y"};
  auto settings = LoadSettings(options_);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().message(),
            "invalid value (hidden) for security.previous_secret_key: expected the former secret_key during a "
            "rotation, different from security.secret_key (or empty)");
}

TEST_F(SettingsLoaderTest, HttpsNeedsExistingCertificateFiles) {
  EXPECT_EQ(ErrorFor("cfg:server.protocol=https"),
            "missing value for server.cert_file: required when server.protocol is https");
  const std::string cert = home_.Write("cert.pem", "x");
  home_.Write("key.pem", "x");
  options_.overrides = {"cfg:server.protocol=https", "cfg:server.cert_file=cert.pem",
                        "cfg:server.cert_key=key.pem"};
  const Settings s = Load();
  EXPECT_EQ(s.server.cert_file, cert);
  options_.overrides.back() = "cfg:server.cert_key=missing.pem";
  EXPECT_FALSE(LoadSettings(options_).ok());
}

TEST_F(SettingsLoaderTest, DefaultAdminPasswordIsFlagged) {
  options_.overrides = {"cfg:security.admin_password=s3cr#t"};
  EXPECT_FALSE(Load().security.admin_password_is_default);
}

TEST_F(SettingsLoaderTest, EmptyValuesMeanBuiltInDefaults) {
  options_.overrides = {"cfg:server.http_port=", "cfg:database.path=", "cfg:paths.data="};
  const Settings s = Load();
  EXPECT_EQ(s.server.http_port, 3000);
  EXPECT_EQ(s.database.path, home_.path() + "/data/metrics-dashboard.db");
}

}  // namespace
}  // namespace md::config
