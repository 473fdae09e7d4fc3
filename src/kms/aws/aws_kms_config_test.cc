#include "kms/aws/aws_kms_config.h"

#include <gtest/gtest.h>

#include <map>

namespace md::kms::aws {
namespace {

constexpr char kArn[] = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

config::ProviderSection Section(std::map<std::string, std::string> keys) {
  return {"awskms.prod", std::move(keys)};
}

std::map<std::string, std::string> Static() {
  return {{"key_id", "alias/md"}, {"access_key_id", "AKIDEXAMPLE"},
          {"secret_access_key", "s3cr3t/value"}, {"region", "us-east-1"}};
}

TEST(AwsKmsConfigTest, ParsesStaticCredentialsAndDefaultsTheEndpoint) {
  Result<AwsKmsConfig> c = ParseAwsKmsConfig(Section(Static()), Env({}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("awskms.prod", c->provider_id);
  EXPECT_EQ("alias/md", c->key_id);
  EXPECT_EQ("us-east-1", c->region);
  EXPECT_EQ("https://kms.us-east-1.amazonaws.com/", c->endpoint.ToString());
  EXPECT_EQ("AKIDEXAMPLE", c->credentials.access_key_id);
  EXPECT_TRUE(c->credentials.session_token.empty());
  EXPECT_EQ(3, c->retry.max_attempts);
}

TEST(AwsKmsConfigTest, RequiresKeyId) {
  auto keys = Static();
  keys.erase("key_id");
  EXPECT_EQ("awskms.prod: key_id is required", ParseAwsKmsConfig(Section(keys), Env({})).status().message());
}

TEST(AwsKmsConfigTest, DerivesTheRegionFromAKeyArn) {
  auto keys = Static();
  keys["key_id"] = kArn;
  keys.erase("region");
  Result<AwsKmsConfig> c = ParseAwsKmsConfig(Section(keys), Env({{"AWS_REGION", "us-west-2"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ("eu-west-1", c->region);
  EXPECT_EQ("kms.eu-west-1.amazonaws.com", c->endpoint.HostHeader());
  keys["region"] = "us-east-1";
  EXPECT_NE(std::string::npos, ParseAwsKmsConfig(Section(keys), Env({})).status().message().find("differs"));
}

TEST(AwsKmsConfigTest, RejectsMalformedArns) {
  auto keys = Static();
  keys["key_id"] = "arn:aws:s3:::bucket";
  Status s = ParseAwsKmsConfig(Section(keys), Env({})).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_EQ(0u, s.message().find("awskms.prod: key_id"));
}

TEST(AwsKmsConfigTest, FallsBackToTheEnvironment) {
  Result<AwsKmsConfig> c = ParseAwsKmsConfig(
      Section({{"key_id", "alias/md"}}),
      Env({{"AWS_ACCESS_KEY_ID", "ASIAENV"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"},
           {"AWS_SESSION_TOKEN", "tok"}, {"AWS_DEFAULT_REGION", "ap-south-1"},
           {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("ASIAENV", c->credentials.access_key_id);
  EXPECT_EQ("tok", c->credentials.session_token.InsecureString());
  EXPECT_EQ("ap-south-1", c->region);
  EXPECT_EQ("127.0.0.1:4566", c->endpoint.HostHeader());
}

TEST(AwsKmsConfigTest, EndpointPrecedenceIsConfigThenKmsVarThenGenericVar) {
  auto env = Env({{"AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:1111"}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:2222"}});
  EXPECT_EQ(1111, ParseAwsKmsConfig(Section(Static()), env)->endpoint.port);
  auto keys = Static();
  keys["endpoint"] = "https://vpce-1.kms.us-east-1.vpce.amazonaws.com";
  EXPECT_EQ("vpce-1.kms.us-east-1.vpce.amazonaws.com", ParseAwsKmsConfig(Section(keys), env)->endpoint.host);
}

TEST(AwsKmsConfigTest, RefusesPlainHttpOffLoopback) {
  auto keys = Static();
  keys["endpoint"] = "http://kms.example.com";
  EXPECT_NE(std::string::npos, ParseAwsKmsConfig(Section(keys), Env({})).status().message().find("https"));
}

TEST(AwsKmsConfigTest, ConfigErrorsNameTheKeyButNeverTheSecret) {
  auto keys = Static();
  keys.erase("access_key_id");
  Status s = ParseAwsKmsConfig(Section(keys), Env({})).status();
  EXPECT_EQ("awskms.prod: access_key_id is required when secret_access_key is set", s.message());
  EXPECT_EQ(std::string::npos, s.message().find("s3cr3t"));
  Status none = ParseAwsKmsConfig(Section({{"key_id", "alias/md"}, {"region", "us-east-1"}}), Env({})).status();
  EXPECT_NE(std::string::npos, none.message().find("AWS_ACCESS_KEY_ID"));
  auto typo = Static();
  typo["secret_acess_key"] = "s3cr3t";
  Status t = ParseAwsKmsConfig(Section(typo), Env({})).status();
  EXPECT_EQ("awskms.prod: unknown key \"secret_acess_key\"", t.message());
}

TEST(AwsKmsConfigTest, ParsesRetryTuning) {
  auto keys = Static();
  keys["max_attempts"] = "5";
  keys["request_timeout"] = "2s";
  keys["retry_base_delay"] = "50ms";
  keys["retry_max_delay"] = "1m";
  keys["retry_total_timeout"] = "1m30s";
  Result<AwsKmsConfig> c = ParseAwsKmsConfig(Section(keys), Env({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(5, c->retry.max_attempts);
  EXPECT_EQ(std::chrono::milliseconds(2000), c->request_timeout);
  EXPECT_EQ(std::chrono::milliseconds(50), c->retry.base_delay);
  EXPECT_EQ(std::chrono::milliseconds(60000), c->retry.max_delay);
  EXPECT_EQ(std::chrono::milliseconds(90000), c->retry.total_timeout);
  keys["max_attempts"] = "0";
  EXPECT_EQ("awskms.prod: max_attempts must be 1..20", ParseAwsKmsConfig(Section(keys), Env({})).status().message());
  keys["max_attempts"] = "2";
  keys["request_timeout"] = "10 parsecs";
  EXPECT_EQ(0u, ParseAwsKmsConfig(Section(keys), Env({})).status().message().find("awskms.prod: request_timeout"));
}

}  // namespace
}  // namespace md::kms::aws
