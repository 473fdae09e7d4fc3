// AwsKmsProvider end to end over libcurl against the loopback AWS KMS emulator
// (tests/emulators/aws_kms_emulator.py), which verifies every SigV4 signature.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kms/aws/aws_kms_provider.h"
#include "kms/http/curl_http_client.h"
#include "kms/testing/emulator_process.h"

namespace md::kms::aws {
namespace {

constexpr char kKeyUuid[] = "1234abcd-12ab-34cd-56ef-1234567890ab";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

class AwsKmsProviderEmulatorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = EmulatorProcess::Start(
        "aws_kms_emulator.py",
        {"--credential", std::string("AKIDEXAMPLE:") + kSecret, "--credential", "ASIATEMP:tempsecret:tok3n",
         "--key", std::string(kKeyUuid) + "=alias/ExampleAlias,alias/metrics-dashboard",
         "--key", "11111111-2222-3333-4444-555555555555=alias/other"});
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    emulator_ = std::move(started).value().release();
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(nullptr, emulator_);
    ASSERT_TRUE(emulator_->Control(*client_, R"({"reset":true})").ok());
  }

  Result<std::unique_ptr<KeyProvider>> Make(std::map<std::string, std::string> keys,
                                            std::map<std::string, std::string> env = {}) {
    keys.emplace("endpoint", emulator_->Endpoint());
    keys.emplace("retry_base_delay", "20ms");
    AwsKmsProviderFactory factory(client_, http::NewSystemClock(),
                                  [env](const std::string& n) -> std::optional<std::string> {
                                    auto it = env.find(n);
                                    if (it == env.end()) return std::nullopt;
                                    return it->second;
                                  });
    return factory.Create({"awskms.test", keys}, config::Settings{});
  }
  std::unique_ptr<KeyProvider> MakeOk(std::map<std::string, std::string> keys) {
    keys.emplace("access_key_id", "AKIDEXAMPLE");
    keys.emplace("secret_access_key", kSecret);
    auto p = Make(std::move(keys));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : nullptr;
  }
  nlohmann::json State() {
    Result<std::string> s = emulator_->Control(*client_);
    EXPECT_TRUE(s.ok());
    return nlohmann::json::parse(s.ok() ? *s : "{}");
  }

  static EmulatorProcess* emulator_;
  std::shared_ptr<http::HttpClient> client_ = http::CurlHttpClient::New();
};
EmulatorProcess* AwsKmsProviderEmulatorTest::emulator_ = nullptr;

SecretBytes DekWithNuls() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 0, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12, 13, 0}));
}

TEST_F(AwsKmsProviderEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  ASSERT_NE(nullptr, provider);
  SecretBytes dek = DekWithNuls();
  Result<Bytes> blob = provider->WrapKey(dek);
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  ASSERT_GT(blob->size(), 37u);
  EXPECT_EQ(1, (*blob)[0]);  // the emulator's own format: version | key uuid | ...
  EXPECT_EQ(kKeyUuid, std::string(blob->begin() + 1, blob->begin() + 37));
  Result<SecretBytes> back = provider->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(dek));
  nlohmann::json s = State();
  EXPECT_EQ(1, s["calls"]["Encrypt"]);
  EXPECT_EQ(1, s["calls"]["Decrypt"]);
  EXPECT_EQ(0, s["auth_failures"]);
}

TEST_F(AwsKmsProviderEmulatorTest, AcceptsAliasAndKeyArnsAndDerivesTheRegion) {
  for (std::string key_id : {std::string("arn:aws:kms:us-east-1:111122223333:alias/metrics-dashboard"),
                             std::string("arn:aws:kms:us-east-1:111122223333:key/") + kKeyUuid,
                             std::string(kKeyUuid)}) {
    std::map<std::string, std::string> keys = {{"key_id", key_id}};
    if (!key_id.starts_with("arn:")) keys["region"] = "us-east-1";
    auto provider = MakeOk(keys);
    ASSERT_NE(nullptr, provider);
    Result<Bytes> blob = provider->WrapKey(DekWithNuls());
    ASSERT_TRUE(blob.ok()) << key_id << ": " << blob.status().ToString();
    Result<SecretBytes> back = provider->UnwrapKey(*blob);
    ASSERT_TRUE(back.ok()) << key_id << ": " << back.status().ToString();
    EXPECT_TRUE(back->Equals(DekWithNuls()));
  }
}

TEST_F(AwsKmsProviderEmulatorTest, SessionCredentialsFromTheEnvironment) {
  auto provider = Make({{"key_id", "alias/ExampleAlias"}},
                       {{"AWS_ACCESS_KEY_ID", "ASIATEMP"}, {"AWS_SECRET_ACCESS_KEY", "tempsecret"},
                        {"AWS_SESSION_TOKEN", "tok3n"}, {"AWS_REGION", "us-east-1"}});
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  Result<Bytes> blob = (*provider)->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_TRUE((*provider)->UnwrapKey(*blob).ok());
}

TEST_F(AwsKmsProviderEmulatorTest, WrongCredentialsArePermissionDeniedWithAClearMessage) {
  auto wrong_secret = Make({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"},
                            {"access_key_id", "AKIDEXAMPLE"}, {"secret_access_key", "not-the-secret"}});
  ASSERT_TRUE(wrong_secret.ok());
  Result<Bytes> r = (*wrong_secret)->WrapKey(DekWithNuls());
  EXPECT_EQ(StatusCode::kPermissionDenied, r.status().code());
  EXPECT_EQ(0u, r.status().message().find("awskms.test: KMS Encrypt: InvalidSignatureException: The request signature"))
      << r.status().message();
  EXPECT_EQ(std::string::npos, r.status().message().find("not-the-secret"));

  auto unknown = Make({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"},
                       {"access_key_id", "AKIDUNKNOWN"}, {"secret_access_key", kSecret}});
  ASSERT_TRUE(unknown.ok());
  Status s = (*unknown)->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_NE(std::string::npos, s.message().find("UnrecognizedClientException")) << s.message();
  EXPECT_EQ(2, State()["auth_failures"]);
  EXPECT_EQ(2, State()["total"]);  // no retries on 4xx
}

TEST_F(AwsKmsProviderEmulatorTest, UnknownKeysWrongKeysAndBadBlobs) {
  auto missing = MakeOk({{"key_id", "alias/missing"}, {"region", "us-east-1"}});
  Status s = missing->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kNotFound, s.code());
  EXPECT_NE(std::string::npos, s.message().find("alias/missing is not found")) << s.message();

  auto mine = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  auto other = MakeOk({{"key_id", "alias/other"}, {"region", "us-east-1"}});
  Result<Bytes> blob = mine->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, other->UnwrapKey(*blob).status().code());  // IncorrectKey
  Bytes tampered = *blob;
  tampered.back() ^= 1;
  Status bad = mine->UnwrapKey(tampered).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, bad.code());
  EXPECT_NE(std::string::npos, bad.message().find("InvalidCiphertextException"));
}

TEST_F(AwsKmsProviderEmulatorTest, RetriesThrottlingThenSucceeds) {
  ASSERT_TRUE(emulator_->Control(*client_, R"({"throttle_next":2})").ok());
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}, {"max_attempts", "3"}});
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  nlohmann::json s = State();
  EXPECT_EQ(3, s["calls"]["Encrypt"]);
  EXPECT_EQ(2, s["throttled"]);
  EXPECT_EQ(0, s["auth_failures"]);  // every retry carried a valid, freshly computed signature

  ASSERT_TRUE(emulator_->Control(*client_, R"({"reset":true,"throttle_next":5})").ok());
  Status gave_up = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, gave_up.code());
  EXPECT_NE(std::string::npos, gave_up.message().find("ThrottlingException")) << gave_up.message();
  EXPECT_EQ(3, State()["calls"]["Encrypt"]);
}

TEST_F(AwsKmsProviderEmulatorTest, ServerErrorsAreRetried) {
  ASSERT_TRUE(emulator_->Control(*client_, R"({"fail_next":1})").ok());
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  EXPECT_EQ(1, State()["failed"]);
}

TEST_F(AwsKmsProviderEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  ASSERT_TRUE(emulator_->Control(*client_, R"({"down":true})").ok());
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}, {"max_attempts", "20"},
                          {"retry_base_delay", "100ms"}, {"retry_max_delay", "400ms"},
                          {"retry_total_timeout", "1500ms"}});
  auto start = std::chrono::steady_clock::now();
  Status s = provider->WrapKey(DekWithNuls()).status();
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(StatusCode::kUnavailable, s.code()) << s.ToString();
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
  nlohmann::json state = State();
  EXPECT_GE(state["dropped"].get<int>(), 2);
  EXPECT_LT(state["dropped"].get<int>(), 20);
  ASSERT_TRUE(emulator_->Control(*client_, R"({"down":false})").ok());
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
}

}  // namespace
}  // namespace md::kms::aws
