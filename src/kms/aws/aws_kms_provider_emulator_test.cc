// AwsKmsProvider end to end over libcurl against the loopback AWS KMS emulator
// (tests/emulators/aws_kms_emulator.py), which verifies every SigV4 signature.
#include "kms/aws/aws_kms_provider.h"
#include "kms/testing/emulator_test.h"

namespace md::kms::aws {
namespace {

constexpr char kKeyUuid[] = "1234abcd-12ab-34cd-56ef-1234567890ab";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

class AwsKmsProviderEmulatorTest : public EmulatorTest<AwsKmsProviderEmulatorTest> {
 protected:
  static void SetUpTestSuite() {
    StartEmulator("aws_kms_emulator.py",
                  {"--credential", std::string("AKIDEXAMPLE:") + kSecret, "--credential", "ASIATEMP:tempsecret:tok3n",
                   "--key", std::string(kKeyUuid) + "=alias/ExampleAlias,alias/metrics-dashboard",
                   "--key", "11111111-2222-3333-4444-555555555555=alias/other"});
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
    return CreatedOk(Make(std::move(keys)));
  }
};

TEST_F(AwsKmsProviderEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  ASSERT_NE(nullptr, provider);
  Bytes blob = ExpectRoundTrip(*provider, "Encrypt", "Decrypt");
  ASSERT_GT(blob.size(), 37u);
  EXPECT_EQ(1, blob[0]);  // the emulator's own format: version | key uuid | ...
  EXPECT_EQ(kKeyUuid, std::string(blob.begin() + 1, blob.begin() + 37));
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

TEST_F(AwsKmsProviderEmulatorTest, RetriesThrottlingAndServerErrorsWithAFreshSignatureEachTime) {
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}, {"max_attempts", "3"}});
  ExpectRetriesThenUnavailable(*provider, "Encrypt", "ThrottlingException");
}

TEST_F(AwsKmsProviderEmulatorTest, ServerErrorsAreRetried) {
  ASSERT_TRUE(emulator_->Control(*client_, R"({"fail_next":1})").ok());
  auto provider = MakeOk({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  EXPECT_EQ(1, State()["failed"]);
}

TEST_F(AwsKmsProviderEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  std::map<std::string, std::string> keys = OutageRetryTuning();
  keys.insert({{"key_id", "alias/ExampleAlias"}, {"region", "us-east-1"}});
  ExpectOutageIsUnavailableThenRecovers(*MakeOk(keys));
}

}  // namespace
}  // namespace md::kms::aws
