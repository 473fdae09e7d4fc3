// EmulatorTest<Suite>: the gtest fixture shared by the HTTP key providers' emulator tests
// (tests/emulators/*.py). A suite starts its emulator once, in its own SetUpTestSuite, with
// StartEmulator; every test begins with the emulator's counters reset. The Expect* checks are what
// every HTTP provider must show against its emulator: bounded retries with a valid credential on
// every attempt, a clear Unavailable during an outage that heals when the service is back, and
// (for OAuth providers) one cached token that is replaced once after a 401.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kms/http/curl_http_client.h"
#include "kms/http/provider_settings.h"
#include "kms/key_provider.h"
#include "kms/testing/emulator_process.h"

namespace md::kms {

// 16 bytes (Grafana's DEK size) with NULs in them.
SecretBytes DekWithNuls();
// An environment with nothing set.
http::EnvLookup NoEnv();
// Retry settings for ExpectOutageIsUnavailableThenRecovers: 20 attempts, 100..400 ms backoff and
// a 1.5 s budget.
std::map<std::string, std::string> OutageRetryTuning();

template <typename Suite>
class EmulatorTest : public testing::Test {
 protected:
  // Starts tests/emulators/<script>; call it from the suite's SetUpTestSuite.
  static void StartEmulator(const std::string& script, const std::vector<std::string>& args) {
    auto started = EmulatorProcess::Start(script, args);
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

  // POSTs `control` to /__control first, if given; the emulator's state.
  nlohmann::json State(const std::string& control = "") const {
    Result<std::string> s = emulator_->Control(*client_, control);
    EXPECT_TRUE(s.ok());
    return nlohmann::json::parse(s.ok() ? *s : "{}");
  }

  // The factory's provider, downcast to P; null (and a failure) when Create failed.
  template <typename P = KeyProvider>
  static std::unique_ptr<P> CreatedOk(Result<std::unique_ptr<KeyProvider>> created) {
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::unique_ptr<P>(created.ok() ? dynamic_cast<P*>(created->release()) : nullptr);
  }

  // WrapKey and then UnwrapKey give DekWithNuls back, with one call of the emulator's `wrap_op`
  // and one of `unwrap_op` and no authentication failure; the wrapped blob (empty after a failure).
  Bytes ExpectRoundTrip(const KeyProvider& provider, const std::string& wrap_op, const std::string& unwrap_op) const {
    Result<Bytes> blob = provider.WrapKey(DekWithNuls());
    EXPECT_TRUE(blob.ok()) << blob.status().ToString();
    if (!blob.ok()) return {};
    Result<SecretBytes> back = provider.UnwrapKey(*blob);
    EXPECT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back.ok() && back->Equals(DekWithNuls()));
    nlohmann::json s = State();
    EXPECT_EQ(1, s["calls"][wrap_op]);
    EXPECT_EQ(1, s["calls"][unwrap_op]);
    EXPECT_EQ(0, s["auth_failures"]);
    return *blob;
  }

  // A 429 and then a 5xx are retried and the third attempt of WrapKey succeeds, with a valid
  // credential on every attempt; throttled every time, the call is Unavailable and its message
  // contains `throttle_text`. `operation` is the emulator's name for a wrap.
  // REQUIRES: the provider was built with max_attempts = 3.
  void ExpectRetriesThenUnavailable(const KeyProvider& provider, const std::string& operation,
                                    const std::string& throttle_text) const {
    State(R"({"throttle_next":1,"fail_next":1})");
    Result<Bytes> blob = provider.WrapKey(DekWithNuls());
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    nlohmann::json s = State();
    EXPECT_EQ(3, s["calls"][operation]);
    EXPECT_EQ(1, s["throttled"]);
    EXPECT_EQ(1, s["failed"]);
    EXPECT_EQ(0, s["auth_failures"]);

    State(R"({"reset":true,"throttle_next":5})");
    Status gave_up = provider.WrapKey(DekWithNuls()).status();
    EXPECT_EQ(StatusCode::kUnavailable, gave_up.code());
    EXPECT_NE(std::string::npos, gave_up.message().find(throttle_text)) << gave_up.message();
    EXPECT_EQ(3, State()["calls"][operation]);
  }

  // While the emulator is down, WrapKey is Unavailable (naming the provider) within 2.5 s after
  // 2 to 19 attempts; once it is back, WrapKey works again. A first wrap before the outage caches
  // any token. REQUIRES: the provider was built with OutageRetryTuning().
  void ExpectOutageIsUnavailableThenRecovers(const KeyProvider& provider) const {
    ASSERT_TRUE(provider.WrapKey(DekWithNuls()).ok());
    State(R"({"down":true})");
    auto start = std::chrono::steady_clock::now();
    Status s = provider.WrapKey(DekWithNuls()).status();
    EXPECT_EQ(StatusCode::kUnavailable, s.code()) << s.ToString();
    EXPECT_EQ(0u, s.message().find(provider.Id() + ": ")) << s.message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    int dropped = State()["dropped"].template get<int>();
    EXPECT_GE(dropped, 2);
    EXPECT_LT(dropped, 20);
    State(R"({"down":false})");
    EXPECT_TRUE(provider.WrapKey(DekWithNuls()).ok());
  }

  // Five wrap and unwrap round trips are served by one token request.
  void ExpectOneTokenServesManyCalls(const KeyProvider& provider, const std::function<int()>& token_fetches) const {
    for (int i = 0; i < 5; ++i) {
      Result<Bytes> blob = provider.WrapKey(DekWithNuls());
      ASSERT_TRUE(blob.ok()) << blob.status().ToString();
      ASSERT_TRUE(provider.UnwrapKey(*blob).ok());
    }
    EXPECT_EQ(1, State()["token_requests"]);
    EXPECT_EQ(1, token_fetches());
  }

  // After `control` invalidates the issued tokens, the next WrapKey gets one 401, fetches one new
  // token and succeeds. `operation` is the emulator's name for a wrap.
  void ExpectTokenReplacedOnceAfter401(const KeyProvider& provider, const std::string& control,
                                       const std::string& operation) const {
    ASSERT_TRUE(provider.WrapKey(DekWithNuls()).ok());
    State(control);
    Result<Bytes> blob = provider.WrapKey(DekWithNuls());
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    nlohmann::json s = State();
    EXPECT_EQ(2, s["token_requests"]);
    EXPECT_EQ(1, s["auth_failures"]);
    EXPECT_EQ(3, s["calls"][operation]);
  }

  inline static EmulatorProcess* emulator_ = nullptr;
  std::shared_ptr<http::HttpClient> client_ = http::CurlHttpClient::New();
};

}  // namespace md::kms
