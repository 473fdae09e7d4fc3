#include "kms/gcp/gcp_kms_config.h"

#include <gtest/gtest.h>

#include "kms/gcp/jwt_assertion.h"
#include "kms/gcp/test_credentials.h"

namespace md::kms::gcp {
namespace {

constexpr char kKey[] = "projects/my-proj/locations/global/keyRings/ring/cryptoKeys/md";

http::EnvLookup NoEnv() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string Error(std::map<std::string, std::string> keys) {
  return ParseGcpKmsConfig({"googlekms.prod", std::move(keys)}, NoEnv()).status().message();
}

TEST(GcpKmsConfigTest, ReadsTheKeyAndTheCredentialsFile) {
  TestCredentials creds("md@my-proj.iam.gserviceaccount.com", "https://oauth2.googleapis.com/token");
  Result<GcpKmsConfig> c = ParseGcpKmsConfig({"googlekms.prod", {{"key_id", kKey}, {"credentials_file", creds.path()}}},
                                             NoEnv());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(kKey, c->key_name);
  EXPECT_EQ("md@my-proj.iam.gserviceaccount.com", c->account.client_email);
  EXPECT_EQ("https://cloudkms.googleapis.com/", c->endpoint.ToString());
  EXPECT_EQ("https://oauth2.googleapis.com/token", c->token_url.ToString());
  EXPECT_TRUE(AsString(c->account.private_key_pem.view()).starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST(GcpKmsConfigTest, ErrorsAreOneLineNamingTheKey) {
  TestCredentials creds("md@p", "https://oauth2.googleapis.com/token");
  EXPECT_EQ("googlekms.prod: key_id is required", Error({{"credentials_file", creds.path()}}));
  EXPECT_EQ(0u, Error({{"key_id", std::string(kKey) + "/cryptoKeyVersions/1"}, {"credentials_file", creds.path()}})
                    .find("googlekms.prod: key_id must be projects/"));
  EXPECT_EQ("googlekms.prod: credentials_file is required (or set GOOGLE_APPLICATION_CREDENTIALS)",
            Error({{"key_id", kKey}}));
  EXPECT_EQ("googlekms.prod: credentials_file: cannot read /nonexistent.json",
            Error({{"key_id", kKey}, {"credentials_file", "/nonexistent.json"}}));
  EXPECT_EQ("googlekms.prod: token_url must use https (http is allowed only for loopback)",
            Error({{"key_id", kKey}, {"credentials_file", creds.path()}, {"token_url", "http://example.com/t"}}));
  EXPECT_EQ("googlekms.prod: unknown key \"keyid\"", Error({{"keyid", kKey}}));
}

TEST(GcpKmsConfigTest, ValidatesCryptoKeyNames) {
  EXPECT_TRUE(IsCryptoKeyName(kKey));
  EXPECT_TRUE(IsCryptoKeyName("projects/google.com:p/locations/us-east1/keyRings/r_1/cryptoKeys/k-2"));
  EXPECT_FALSE(IsCryptoKeyName("projects/p/locations/l/keyRings/r/cryptoKeys/"));
  EXPECT_FALSE(IsCryptoKeyName("projects/p/locations/l/keyRings/r/keys/k"));
  EXPECT_FALSE(IsCryptoKeyName("projects/p/locations/l/keyRings/r/cryptoKeys/k?x"));
}

TEST(JwtAssertionTest, IsThreeBase64UrlPartsWithTheClaims) {
  TestCredentials creds("md@p", "https://oauth2.googleapis.com/token");
  Result<GcpKmsConfig> c =
      ParseGcpKmsConfig({"googlekms.prod", {{"key_id", kKey}, {"credentials_file", creds.path()}}}, NoEnv());
  ASSERT_TRUE(c.ok());
  JwtClaims claims{"md@p", "https://www.googleapis.com/auth/cloudkms", "https://oauth2.googleapis.com/token",
                   std::chrono::system_clock::from_time_t(1700000000)};
  Result<SecretBytes> jwt = SignJwtAssertion(claims, "kid1", c->account.private_key_pem);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  std::string text = jwt->InsecureString();
  EXPECT_EQ(2, std::count(text.begin(), text.end(), '.'));
  EXPECT_EQ(std::string::npos, text.find_first_of("+/="));
  EXPECT_EQ(StatusCode::kInvalidArgument,
            SignJwtAssertion(claims, "", SecretBytes(std::string_view("not a key"))).status().code());
}

}  // namespace
}  // namespace md::kms::gcp
