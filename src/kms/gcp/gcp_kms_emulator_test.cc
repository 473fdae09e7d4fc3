// GcpKmsProvider end to end over libcurl against the loopback Cloud KMS emulator
// (tests/emulators/gcp_kms_emulator.py), which verifies the JWT assertion's RS256 signature.
#include "kms/gcp/gcp_kms_provider.h"
#include "kms/gcp/test_credentials.h"
#include "kms/testing/emulator_test.h"

namespace md::kms::gcp {
namespace {

constexpr char kKey[] = "projects/p/locations/global/keyRings/ring/cryptoKeys/md";
constexpr char kOtherKey[] = "projects/p/locations/global/keyRings/ring/cryptoKeys/other";
constexpr char kEmail[] = "md@p.iam.gserviceaccount.com";

class GcpKmsEmulatorTest : public EmulatorTest<GcpKmsEmulatorTest> {
 protected:
  static void SetUpTestSuite() {
    creds_ = new TestCredentials(kEmail, "https://oauth2.googleapis.com/token");
    StartEmulator("gcp_kms_emulator.py", {"--credentials", creds_->path(), "--key", kKey, "--key", kOtherKey});
  }
  static void TearDownTestSuite() {
    EmulatorTest::TearDownTestSuite();
    delete creds_;
  }

  Result<std::unique_ptr<KeyProvider>> Make(std::map<std::string, std::string> keys) {
    keys.emplace("key_id", kKey);
    keys.emplace("credentials_file", creds_->path());
    keys.emplace("endpoint", emulator_->Endpoint());
    keys.emplace("token_url", emulator_->Endpoint() + "/token");
    keys.emplace("retry_base_delay", "20ms");
    GcpKmsProviderFactory factory(client_, http::NewSystemClock(), NoEnv());
    return factory.Create({"googlekms.test", keys}, config::Settings{});
  }
  std::unique_ptr<GcpKmsProvider> MakeOk(std::map<std::string, std::string> keys = {}) {
    return CreatedOk<GcpKmsProvider>(Make(std::move(keys)));
  }

  static TestCredentials* creds_;
};
TestCredentials* GcpKmsEmulatorTest::creds_ = nullptr;

TEST_F(GcpKmsEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk();
  ASSERT_NE(nullptr, provider);
  Bytes blob = ExpectRoundTrip(*provider, "encrypt", "decrypt");
  EXPECT_EQ(4u + 12u + 16u + 16u, blob.size());  // the emulator's raw ciphertext bytes
}

TEST_F(GcpKmsEmulatorTest, OneTokenRequestServesManyCalls) {
  auto provider = MakeOk();
  ExpectOneTokenServesManyCalls(*provider, [&] { return provider->TokenFetches(); });
}

TEST_F(GcpKmsEmulatorTest, ARevokedTokenIsRefreshedOnceAfterA401) {
  ExpectTokenReplacedOnceAfter401(*MakeOk(), R"({"revoke_tokens":true})", "encrypt");
}

TEST_F(GcpKmsEmulatorTest, WronglySignedAssertionIsPermissionDenied) {
  TestCredentials impostor(kEmail, "https://oauth2.googleapis.com/token");  // same email, other key
  auto provider = MakeOk({{"credentials_file", impostor.path()}});
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("googlekms.test: Cloud KMS encrypt: token endpoint: invalid_grant: Invalid JWT Signature. (HTTP 400)",
            s.message());
  nlohmann::json state = State();
  EXPECT_EQ(1, state["token_failures"]);
  EXPECT_EQ(0, state["calls"].value("encrypt", 0));
}

TEST_F(GcpKmsEmulatorTest, ACorruptedChecksumIsDataLossBothWays) {
  auto provider = MakeOk();
  State(R"({"corrupt_crc_next":1})");
  Status wrap = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kDataLoss, wrap.code());
  EXPECT_NE(std::string::npos, wrap.message().find("ciphertextCrc32c does not match")) << wrap.message();

  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok());
  State(R"({"corrupt_crc_next":1})");
  Status unwrap = provider->UnwrapKey(*blob).status();
  EXPECT_EQ(StatusCode::kDataLoss, unwrap.code());
  EXPECT_NE(std::string::npos, unwrap.message().find("plaintextCrc32c does not match")) << unwrap.message();

  State(R"({"unverified_next":1})");
  EXPECT_EQ(StatusCode::kDataLoss, provider->WrapKey(DekWithNuls()).status().code());
  EXPECT_TRUE(provider->UnwrapKey(*blob).ok());
}

TEST_F(GcpKmsEmulatorTest, WrongKeyAndTamperedCiphertextAreInvalidArgument) {
  auto mine = MakeOk();
  auto other = MakeOk({{"key_id", kOtherKey}});
  Result<Bytes> blob = mine->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok());
  Status s = other->UnwrapKey(*blob).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_NE(std::string::npos, s.message().find("INVALID_ARGUMENT: Decryption failed")) << s.message();
  EXPECT_EQ(StatusCode::kNotFound,
            MakeOk({{"key_id", "projects/p/locations/global/keyRings/ring/cryptoKeys/missing"}})
                ->WrapKey(DekWithNuls()).status().code());
}

TEST_F(GcpKmsEmulatorTest, RetriesThrottlingAndUnavailableWithTheTokenOnEveryAttempt) {
  ExpectRetriesThenUnavailable(*MakeOk({{"max_attempts", "3"}}), "encrypt", "RESOURCE_EXHAUSTED");
}

TEST_F(GcpKmsEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  ExpectOutageIsUnavailableThenRecovers(*MakeOk(OutageRetryTuning()));
}

}  // namespace
}  // namespace md::kms::gcp
