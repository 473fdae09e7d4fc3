// VaultTransitProvider end to end over libcurl against the loopback Vault emulator
// (tests/emulators/vault_transit_emulator.py).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "kms/http/curl_http_client.h"
#include "kms/testing/emulator_process.h"
#include "kms/vault/vault_transit_provider.h"

namespace md::kms::vault {
namespace {

constexpr char kToken[] = "hvs.emulator-token";

class VaultTransitEmulatorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = EmulatorProcess::Start("vault_transit_emulator.py",
                                          {"--token", kToken, "--key", "md", "--key", "other",
                                           "--mount", "kms/transit"});
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    emulator_ = std::move(started).value().release();
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(nullptr, emulator_);
    ASSERT_TRUE(emulator_->Control(*client_, R"({"reset":true,"fail_renew":false})").ok());
  }

  Result<std::unique_ptr<KeyProvider>> Make(std::map<std::string, std::string> keys) {
    keys.emplace("url", emulator_->Endpoint());
    keys.emplace("transit_engine_path", "kms/transit");
    keys.emplace("key_ring", "md");
    keys.emplace("token", kToken);
    keys.emplace("token_renewal_interval", "0");
    keys.emplace("retry_base_delay", "20ms");
    VaultTransitProviderFactory factory(client_, http::NewSystemClock(),
                                        [](const std::string&) { return std::nullopt; });
    return factory.Create({"hashicorpvault.test", keys}, config::Settings{});
  }
  std::unique_ptr<KeyProvider> MakeOk(std::map<std::string, std::string> keys = {}) {
    auto p = Make(std::move(keys));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : nullptr;
  }
  nlohmann::json State(const std::string& control = "") {
    Result<std::string> s = emulator_->Control(*client_, control);
    EXPECT_TRUE(s.ok());
    return nlohmann::json::parse(s.ok() ? *s : "{}");
  }

  static EmulatorProcess* emulator_;
  std::shared_ptr<http::HttpClient> client_ = http::CurlHttpClient::New();
};
EmulatorProcess* VaultTransitEmulatorTest::emulator_ = nullptr;

SecretBytes DekWithNuls() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 0, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12, 13, 0}));
}

TEST_F(VaultTransitEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk();
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_TRUE(AsString(*blob).starts_with("vault:v1:")) << AsString(*blob);
  EXPECT_EQ(9u + 60u, blob->size());  // base64 of nonce (12) | ct (16) | tag (16) = 60 characters
  Result<SecretBytes> back = provider->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(DekWithNuls()));
  nlohmann::json s = State();
  EXPECT_EQ(1, s["calls"]["encrypt"]);  // one call per wrap, one per unwrap
  EXPECT_EQ(1, s["calls"]["decrypt"]);
  EXPECT_EQ(0, s["auth_failures"]);
}

TEST_F(VaultTransitEmulatorTest, KeyRotationStillDecryptsOlderVersions) {
  auto provider = MakeOk();
  Result<Bytes> v1 = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(v1.ok());
  State(R"({"rotate":"md"})");
  Result<Bytes> v2 = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(AsString(*v2).starts_with("vault:v2:")) << AsString(*v2);
  EXPECT_TRUE(provider->UnwrapKey(*v1).ok());
  EXPECT_TRUE(provider->UnwrapKey(*v2).ok());
}

TEST_F(VaultTransitEmulatorTest, WrongTokenIsPermissionDeniedWithoutTheToken) {
  auto provider = MakeOk({{"token", "hvs.wrong-token"}});
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("hashicorpvault.test: Vault encrypt: permission denied (HTTP 403)", s.message());
  EXPECT_EQ(1, State()["total"]);  // not retried
}

TEST_F(VaultTransitEmulatorTest, WrongKeyRingAndTamperedCiphertextAreInvalidArgument) {
  auto mine = MakeOk();
  auto other = MakeOk({{"key_ring", "other"}});
  Result<Bytes> blob = other->WrapKey(DekWithNuls());  // "other" is never rotated: vault:v1:
  ASSERT_TRUE(blob.ok());
  Status wrong_key = mine->UnwrapKey(*blob).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, wrong_key.code());
  EXPECT_NE(std::string::npos, wrong_key.message().find("message authentication failed")) << wrong_key.message();
  EXPECT_EQ(StatusCode::kInvalidArgument, MakeOk({{"key_ring", "missing"}})->WrapKey(DekWithNuls()).status().code());
}

TEST_F(VaultTransitEmulatorTest, RetriesThrottlingAndServerErrorsWithTheTokenOnEveryAttempt) {
  State(R"({"throttle_next":1,"fail_next":1})");
  auto provider = MakeOk({{"max_attempts", "3"}});
  Result<Bytes> blob = provider->WrapKey(DekWithNuls());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  nlohmann::json s = State();
  EXPECT_EQ(3, s["calls"]["encrypt"]);
  EXPECT_EQ(1, s["throttled"]);
  EXPECT_EQ(1, s["failed"]);
  EXPECT_EQ(0, s["auth_failures"]);

  State(R"({"reset":true,"throttle_next":5})");
  Status gave_up = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, gave_up.code());
  EXPECT_NE(std::string::npos, gave_up.message().find("rate limit quota exceeded")) << gave_up.message();
  EXPECT_EQ(3, State()["calls"]["encrypt"]);
}

TEST_F(VaultTransitEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  State(R"({"down":true})");
  auto provider = MakeOk({{"max_attempts", "20"}, {"retry_base_delay", "100ms"}, {"retry_max_delay", "400ms"},
                          {"retry_total_timeout", "1500ms"}});
  auto start = std::chrono::steady_clock::now();
  Status s = provider->UnwrapKey(AsBytes("vault:v1:AAAA")).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code()) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  int dropped = State()["dropped"].get<int>();
  EXPECT_GE(dropped, 2);
  EXPECT_LT(dropped, 20);
  State(R"({"down":false})");
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());
}

TEST_F(VaultTransitEmulatorTest, RenewsTheTokenOnTheIntervalUntilDestroyed) {
  auto provider = Make({{"token_renewal_interval", "100ms"}});
  ASSERT_TRUE(provider.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  int renewals = State()["calls"]["renew-self"].get<int>();
  EXPECT_GE(renewals, 2);  // about 4; loose for loaded machines
  EXPECT_LE(renewals, 5);
  provider->reset();  // stops the renewal thread
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(renewals, State()["calls"]["renew-self"].get<int>());
}

TEST_F(VaultTransitEmulatorTest, ATokenThatOnlyLivesThroughRenewalKeepsWorking) {
  // A second emulator whose tokens expire 300 ms after their last renewal.
  auto short_lived = EmulatorProcess::Start("vault_transit_emulator.py",
                                            {"--token", kToken, "--key", "md", "--token-ttl", "0.3"});
  ASSERT_TRUE(short_lived.ok());
  VaultTransitProviderFactory factory(client_, http::NewSystemClock(),
                                      [](const std::string&) { return std::nullopt; });
  auto provider = factory.Create({"hashicorpvault.test",
                                  {{"url", (*short_lived)->Endpoint()}, {"token", kToken}, {"key_ring", "md"},
                                   {"token_renewal_interval", "100ms"}}},
                                 config::Settings{});
  ASSERT_TRUE(provider.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_TRUE((*provider)->WrapKey(DekWithNuls()).ok());
}

TEST_F(VaultTransitEmulatorTest, AFailedRenewalIsReportedWhenACallFails) {
  State(R"({"fail_renew":true})");
  auto provider = MakeOk({{"token_renewal_interval", "50ms"}, {"max_attempts", "1"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(provider->WrapKey(DekWithNuls()).ok());  // renewal failures alone break nothing
  State(R"({"down":true})");
  Status s = provider->WrapKey(DekWithNuls()).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code());
  // The last renewal was refused (403) or, if one ran during the outage, dropped.
  EXPECT_NE(std::string::npos, s.message().find("(the last token renewal failed too: renew-self: ")) << s.message();
  EXPECT_GE(State()["renewals"].get<int>(), 2);
  EXPECT_EQ(std::string::npos, s.message().find(kToken));
}

}  // namespace
}  // namespace md::kms::vault
