// VaultTransitProvider end to end over libcurl against the loopback Vault emulator
// (tests/emulators/vault_transit_emulator.py).
#include <thread>

#include "kms/testing/emulator_test.h"
#include "kms/vault/vault_transit_provider.h"

namespace md::kms::vault {
namespace {

constexpr char kToken[] = "hvs.emulator-token";

class VaultTransitEmulatorTest : public EmulatorTest<VaultTransitEmulatorTest> {
 protected:
  static void SetUpTestSuite() {
    StartEmulator("vault_transit_emulator.py",
                  {"--token", kToken, "--key", "md", "--key", "other", "--mount", "kms/transit"});
  }
  void SetUp() override {
    EmulatorTest::SetUp();
    State(R"({"fail_renew":false})");
  }

  Result<std::unique_ptr<KeyProvider>> Make(std::map<std::string, std::string> keys) {
    keys.emplace("url", emulator_->Endpoint());
    keys.emplace("transit_engine_path", "kms/transit");
    keys.emplace("key_ring", "md");
    keys.emplace("token", kToken);
    keys.emplace("token_renewal_interval", "0");
    keys.emplace("retry_base_delay", "20ms");
    VaultTransitProviderFactory factory(client_, http::NewSystemClock(), NoEnv());
    return factory.Create({"hashicorpvault.test", keys}, config::Settings{});
  }
  std::unique_ptr<KeyProvider> MakeOk(std::map<std::string, std::string> keys = {}) {
    return CreatedOk(Make(std::move(keys)));
  }
};

TEST_F(VaultTransitEmulatorTest, WrapsAndUnwrapsASixteenByteDekWithNuls) {
  auto provider = MakeOk();
  ASSERT_NE(nullptr, provider);
  Bytes blob = ExpectRoundTrip(*provider, "encrypt", "decrypt");
  EXPECT_TRUE(AsString(blob).starts_with("vault:v1:")) << AsString(blob);
  EXPECT_EQ(9u + 60u, blob.size());  // base64 of nonce (12) | ct (16) | tag (16) = 60 characters
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
  ExpectRetriesThenUnavailable(*MakeOk({{"max_attempts", "3"}}), "encrypt", "rate limit quota exceeded");
}

TEST_F(VaultTransitEmulatorTest, OutageIsUnavailableWithinTheTimeBudget) {
  ExpectOutageIsUnavailableThenRecovers(*MakeOk(OutageRetryTuning()));
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
