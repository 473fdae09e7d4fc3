// AzureKvProvider end to end over libcurl against the loopback Key Vault emulator
// (tests/emulators/azure_kv_emulator.py): real RSA-OAEP-256 with RSA-2048 keys, client-credentials
// tokens, key rotation, throttling, outages.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kms/azure/azure_kv_provider.h"
#include "kms/azure/wrapped_key_blob.h"
#include "kms/http/curl_http_client.h"
#include "kms/testing/emulator_process.h"

namespace md::kms::azure {
namespace {

constexpr char kTenant[] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char kClient[] = "00001111-aaaa-2222-bbbb-3333cccc4444";
constexpr char kSecret[] = "Xy8Q~emulator.secret-value_1";

class AzureKvEmulatorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = EmulatorProcess::Start("azure_kv_emulator.py", {"--tenant", kTenant, "--client-id", kClient,
                                                                   "--client-secret", kSecret, "--key", "md",
                                                                   "--key", "other"});
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    emulator_ = std::move(started).value().release();
  }
  static void TearDownTestSuite() { delete emulator_; }
  void SetUp() override {
    ASSERT_NE(nullptr, emulator_);
    ASSERT_TRUE(emulator_->Control(*client_, R"({"reset":true})").ok());
  }

  std::unique_ptr<AzureKvProvider> Make(std::map<std::string, std::string> keys = {}) {
    keys.emplace("tenant_id", kTenant);
    keys.emplace("client_id", kClient);
    keys.emplace("client_secret", kSecret);
    keys.emplace("key_id", "md");
    keys.emplace("vault_uri", emulator_->Endpoint());
    keys.emplace("authority_host", emulator_->Endpoint());
    keys.emplace("retry_base_delay", "20ms");
    keys.emplace("retry_max_delay", "100ms");
    AzureKvProviderFactory factory(client_, http::NewSystemClock(), [](const std::string&) { return std::nullopt; });
    auto p = factory.Create({"azurekv.test", keys}, config::Settings{});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::unique_ptr<AzureKvProvider>(p.ok() ? dynamic_cast<AzureKvProvider*>(p->release()) : nullptr);
  }
  nlohmann::json State(const std::string& control = "") {
    Result<std::string> s = emulator_->Control(*client_, control);
    EXPECT_TRUE(s.ok());
    return nlohmann::json::parse(s.ok() ? *s : "{}");
  }

  static EmulatorProcess* emulator_;
  std::shared_ptr<http::HttpClient> client_ = http::CurlHttpClient::New();
};
EmulatorProcess* AzureKvEmulatorTest::emulator_ = nullptr;

SecretBytes DekWithNuls() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 0, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12, 13, 0}));
}

TEST_F(AzureKvEmulatorTest, WrapsAndUnwrapsWithRsaOaep256) {
  auto provider = Make();
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  Result<WrappedKeyBlob> parsed = DecodeWrappedKeyBlob(*blob);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ("RSA-OAEP-256", parsed->alg);
  EXPECT_EQ(256u, parsed->value.size());  // one RSA-2048 block
  std::string current = State()["versions"]["md"][0];
  EXPECT_EQ(emulator_->Endpoint() + "/keys/md/" + current, parsed->kid);
  Result<SecretBytes> back = provider->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(DekWithNuls()));
  nlohmann::json s = State();
  EXPECT_EQ(1, s["calls"]["wrapkey"]);
  EXPECT_EQ(1, s["calls"]["unwrapkey"]);
  EXPECT_EQ(0, s["auth_failures"]);
}

TEST_F(AzureKvEmulatorTest, UnwrapUsesTheStoredVersionAfterTheKeyIsRotated) {
  auto provider = Make();
  Result<Bytes> old_blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(old_blob.ok()) << old_blob.status().ToString();
  State(R"({"rotate":"md"})");
  Result<Bytes> new_blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(new_blob.ok());
  EXPECT_NE(DecodeWrappedKeyBlob(*old_blob)->kid, DecodeWrappedKeyBlob(*new_blob)->kid);
  ASSERT_TRUE(provider->UnwrapKey(*old_blob).ok());
  ASSERT_TRUE(provider->UnwrapKey(*new_blob).ok());
  nlohmann::json s = State();
  std::string v1 = s["versions"]["md"][0], v2 = s["versions"]["md"][1];
  EXPECT_EQ(1, s["used_versions"]["unwrapkey:" + v1]);
  EXPECT_EQ(1, s["used_versions"]["unwrapkey:" + v2]);
  EXPECT_EQ(1, s["used_versions"]["wrapkey:" + v2]);
}

TEST_F(AzureKvEmulatorTest, OneTokenRequestServesManyCalls) {
  auto provider = Make();
  for (int i = 0; i < 5; ++i) {
    Result<Bytes> blob = provider->WrapKey(DekWithNuls());
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    ASSERT_TRUE(provider->UnwrapKey(*blob).ok());
  }
  EXPECT_EQ(1, State()["token_requests"]);
  EXPECT_EQ(1, provider->TokenFetches());
}

TEST_F(AzureKvEmulatorTest, AnExpiredTokenGets401AndIsReplacedOnce) {
  auto provider = Make();
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  State(R"({"expire_tokens":true})");
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  nlohmann::json s = State();
  EXPECT_EQ(2, s["token_requests"]);
  EXPECT_EQ(1, s["auth_failures"]);
  EXPECT_EQ(3, s["calls"]["wrapkey"]);
}

TEST_F(AzureKvEmulatorTest, AWrongClientSecretIsPermissionDeniedWithoutEchoingIt) {
  auto provider = Make({{"client_secret", "wrong-secret-value-123"}});
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ(0u, s.message().find("azurekv.test: Key Vault wrapkey: token endpoint: invalid_client: AADSTS7000215: "
                                 "Invalid client secret provided."))
      << s.message();
  EXPECT_EQ(std::string::npos, s.message().find("wrong-secret-value-123"));
  nlohmann::json state = State();
  EXPECT_EQ(1, state["token_failures"]);
  EXPECT_EQ(0, state["calls"].value("wrapkey", 0));
}

TEST_F(AzureKvEmulatorTest, OtherKeysTamperedBlobsAndMissingKeys) {
  auto mine = Make();
  Result<Bytes> blob = mine->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok());
  Status s = Make({{"key_id", "other"}})->UnwrapKey(*blob).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_NE(std::string::npos, s.message().find("is not a version of")) << s.message();

  Result<WrappedKeyBlob> tampered = DecodeWrappedKeyBlob(*blob);
  tampered->value[10] ^= 1;
  s = mine->UnwrapKey(EncodeWrappedKeyBlob(*tampered)).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_EQ("azurekv.test: Key Vault unwrapkey: BadParameter: The parameter is incorrect. (HTTP 400)", s.message());
  EXPECT_EQ(StatusCode::kNotFound, Make({{"key_id", "missing"}})->WrapKey(DekWithNuls()).status().code());
}

TEST_F(AzureKvEmulatorTest, RetriesThrottlingAndServerErrorsWithTheTokenOnEveryAttempt) {
  State(R"({"throttle_next":1,"fail_next":1})");
  auto provider = Make({{"max_attempts", "3"}});
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  nlohmann::json s = State();
  EXPECT_EQ(3, s["calls"]["wrapkey"]);
  EXPECT_EQ(1, s["throttled"]);
  EXPECT_EQ(1, s["failed"]);
  EXPECT_EQ(0, s["auth_failures"]);

  State(R"({"reset":true,"throttle_next":5})");
  Status gave_up = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, gave_up.code());
  EXPECT_NE(std::string::npos, gave_up.message().find("Throttled")) << gave_up.message();
  EXPECT_EQ(3, State()["calls"]["wrapkey"]);
}

TEST_F(AzureKvEmulatorTest, RetryAfterIsHonouredUpToTheMaximumDelay) {
  State(R"({"throttle_next":1,"retry_after":1})");
  auto provider = Make({{"retry_max_delay", "2s"}});
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(AzureKvEmulatorTest, OutageIsUnavailableWithinTheTimeBudgetAndRecovers) {
  auto provider = Make({{"max_attempts", "20"}, {"retry_base_delay", "100ms"}, {"retry_max_delay", "400ms"},
                        {"retry_total_timeout", "1500ms"}});
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());  // the token is cached before the outage
  State(R"({"down":true})");
  auto start = std::chrono::steady_clock::now();
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code()) << s.ToString();
  EXPECT_EQ(0u, s.message().find("azurekv.test: Key Vault wrapkey: ")) << s.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  int dropped = State()["dropped"].get<int>();
  EXPECT_GE(dropped, 2);
  EXPECT_LT(dropped, 20);
  State(R"({"down":false})");
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
}

}  // namespace
}  // namespace md::kms::azure
