// GcpKmsProvider end to end over libcurl against the loopback Cloud KMS emulator
// (tests/emulators/gcp_kms_emulator.py), which verifies the JWT assertion's RS256 signature.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kms/gcp/gcp_kms_provider.h"
#include "kms/gcp/test_credentials.h"
#include "kms/http/curl_http_client.h"
#include "kms/testing/emulator_process.h"

namespace md::kms::gcp {
namespace {

constexpr char kKey[] = "projects/p/locations/global/keyRings/ring/cryptoKeys/md";
constexpr char kOtherKey[] = "projects/p/locations/global/keyRings/ring/cryptoKeys/other";
constexpr char kEmail[] = "md@p.iam.gserviceaccount.com";

class GcpKmsEmulatorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    creds_ = new TestCredentials(kEmail, "https://oauth2.googleapis.com/token");
    auto started = EmulatorProcess::Start("gcp_kms_emulator.py",
                                          {"--credentials", creds_->path(), "--key", kKey, "--key", kOtherKey});
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    emulator_ = std::move(started).value().release();
  }
  static void TearDownTestSuite() {
    delete emulator_;
    delete creds_;
  }
  void SetUp() override {
    ASSERT_NE(nullptr, emulator_);
    ASSERT_TRUE(emulator_->Control(*client_, R"({"reset":true})").ok());
  }

  Result<std::unique_ptr<KeyProvider>> Make(std::map<std::string, std::string> keys) {
    keys.emplace("key_id", kKey);
    keys.emplace("credentials_file", creds_->path());
    keys.emplace("endpoint", emulator_->Endpoint());
    keys.emplace("token_url", emulator_->Endpoint() + "/token");
    keys.emplace("retry_base_delay", "20ms");
    GcpKmsProviderFactory factory(client_, http::NewSystemClock(), [](const std::string&) { return std::nullopt; });
    return factory.Create({"googlekms.test", keys}, config::Settings{});
  }
  std::unique_ptr<GcpKmsProvider> MakeOk(std::map<std::string, std::string> keys = {}) {
    auto p = Make(std::move(keys));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::unique_ptr<GcpKmsProvider>(p.ok() ? dynamic_cast<GcpKmsProvider*>(p->release()) : nullptr);
  }
  nlohmann::json State(const std::string& control = "") {
    Result<std::string> s = emulator_->Control(*client_, control);
    EXPECT_TRUE(s.ok());
    return nlohmann::json::parse(s.ok() ? *s : "{}");
  }

  static TestCredentials* creds_;
  static EmulatorProcess* emulator_;
  std::shared_ptr<http::HttpClient> client_ = http::CurlHttpClient::New();
};
TestCredentials* GcpKmsEmulatorTest::creds_ = nullptr;
EmulatorProcess* GcpKmsEmulatorTest::emulator_ = nullptr;

SecretBytes DekWithNuls() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 0, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12, 13, 0}));
}

TEST_F(GcpKmsEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk();
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(4u + 12u + 16u + 16u, blob->size());  // the emulator's raw ciphertext bytes
  Result<SecretBytes> back = provider->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(DekWithNuls()));
  nlohmann::json s = State();
  EXPECT_EQ(1, s["calls"]["encrypt"]);
  EXPECT_EQ(1, s["calls"]["decrypt"]);
  EXPECT_EQ(0, s["auth_failures"]);
}

TEST_F(GcpKmsEmulatorTest, OneTokenRequestServesManyCalls) {
  auto provider = MakeOk();
  for (int i = 0; i < 5; ++i) {
    Result<Bytes> blob = provider->WrapKey(DekWithNuls());
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    ASSERT_TRUE(provider->UnwrapKey(*blob).ok());
  }
  EXPECT_EQ(1, State()["token_requests"]);
  EXPECT_EQ(1, provider->TokenFetches());
}

TEST_F(GcpKmsEmulatorTest, ARevokedTokenIsRefreshedOnceAfterA401) {
  auto provider = MakeOk();
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  State(R"({"revoke_tokens":true})");
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  nlohmann::json s = State();
  EXPECT_EQ(2, s["token_requests"]);
  EXPECT_EQ(1, s["auth_failures"]);
  EXPECT_EQ(3, s["calls"]["encrypt"]);
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
  State(R"({"throttle_next":1,"fail_next":1})");
  auto provider = MakeOk({{"max_attempts", "3"}});
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  nlohmann::json s = State();
  EXPECT_EQ(3, s["calls"]["encrypt"]);
  EXPECT_EQ(1, s["throttled"]);
  EXPECT_EQ(1, s["failed"]);
  EXPECT_EQ(0, s["auth_failures"]);

  State(R"({"reset":true,"throttle_next":5})");
  Status gave_up = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, gave_up.code());
  EXPECT_NE(std::string::npos, gave_up.message().find("RESOURCE_EXHAUSTED")) << gave_up.message();
}

TEST_F(GcpKmsEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  auto provider = MakeOk({{"max_attempts", "20"}, {"retry_base_delay", "100ms"}, {"retry_max_delay", "400ms"},
                          {"retry_total_timeout", "1500ms"}});
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());  // the token is cached before the outage
  State(R"({"down":true})");
  auto start = std::chrono::steady_clock::now();
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code()) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  int dropped = State()["dropped"].get<int>();
  EXPECT_GE(dropped, 2);
  EXPECT_LT(dropped, 20);
  State(R"({"down":false})");
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
}

}  // namespace
}  // namespace md::kms::gcp
