// AzureKvProvider end to end over libcurl against the loopback Key Vault emulator
// (tests/emulators/azure_kv_emulator.py): real RSA-OAEP-256 with RSA-2048 keys, client-credentials
// tokens, key rotation, throttling, outages.
#include "kms/azure/azure_kv_provider.h"
#include "kms/azure/wrapped_key_blob.h"
#include "kms/testing/emulator_test.h"

namespace md::kms::azure {
namespace {

constexpr char kTenant[] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
constexpr char kClient[] = "00001111-aaaa-2222-bbbb-3333cccc4444";
constexpr char kSecret[] = "Xy8Q~emulator.secret-value_1";

class AzureKvEmulatorTest : public EmulatorTest<AzureKvEmulatorTest> {
 protected:
  static void SetUpTestSuite() {
    StartEmulator("azure_kv_emulator.py", {"--tenant", kTenant, "--client-id", kClient, "--client-secret", kSecret,
                                           "--key", "md", "--key", "other"});
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
    AzureKvProviderFactory factory(client_, http::NewSystemClock(), NoEnv());
    return CreatedOk<AzureKvProvider>(factory.Create({"azurekv.test", keys}, config::Settings{}));
  }
};

TEST_F(AzureKvEmulatorTest, WrapsAndUnwrapsWithRsaOaep256) {
  auto provider = Make();
  ASSERT_NE(nullptr, provider);
  Result<WrappedKeyBlob> parsed = DecodeWrappedKeyBlob(ExpectRoundTrip(*provider, "wrapkey", "unwrapkey"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ("RSA-OAEP-256", parsed->alg);
  EXPECT_EQ(256u, parsed->value.size());  // one RSA-2048 block
  std::string current = State()["versions"]["md"][0];
  EXPECT_EQ(emulator_->Endpoint() + "/keys/md/" + current, parsed->kid);
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
  ExpectOneTokenServesManyCalls(*provider, [&] { return provider->TokenFetches(); });
}

TEST_F(AzureKvEmulatorTest, AnExpiredTokenGets401AndIsReplacedOnce) {
  ExpectTokenReplacedOnceAfter401(*Make(), R"({"expire_tokens":true})", "wrapkey");
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
  ExpectRetriesThenUnavailable(*Make({{"max_attempts", "3"}}), "wrapkey", "Throttled");
}

TEST_F(AzureKvEmulatorTest, RetryAfterIsHonouredUpToTheMaximumDelay) {
  State(R"({"throttle_next":1,"retry_after":1})");
  auto provider = Make({{"retry_max_delay", "2s"}});
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(provider->WrapKey(DekWithNuls()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(AzureKvEmulatorTest, OutageIsUnavailableWithinTheTimeBudgetAndRecovers) {
  ExpectOutageIsUnavailableThenRecovers(*Make(OutageRetryTuning()));
}

}  // namespace
}  // namespace md::kms::azure
