#include "kms/http/retry.h"

#include <gtest/gtest.h>

#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::http {
namespace {

using std::chrono::milliseconds;

class KmsHttpRetryTest : public testing::Test {
 protected:
  KmsHttpRetryTest() : client_(std::make_shared<FakeHttpClient>()), clock_(std::make_shared<FakeClock>()) {}

  Retrier Make(RetryPolicy policy, double jitter = 1.0) {
    return Retrier(client_, clock_, policy, [jitter] { return jitter; });
  }
  RequestBuilder Builder() {
    return [this]() -> Result<HttpRequest> {
      HttpRequest r;
      r.url = "https://kms.example/";
      r.headers = {{"X-Attempt", std::to_string(++builds_)}};
      return r;
    };
  }

  std::shared_ptr<FakeHttpClient> client_;
  std::shared_ptr<FakeClock> clock_;
  int builds_ = 0;
};

TEST_F(KmsHttpRetryTest, ReturnsTheFirstSuccessWithoutSleeping) {
  client_->PushResponse(200, "ok");
  Result<HttpResponse> r = Make({}).Send(Builder(), DefaultClassify);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ("ok", r->BodyText());
  EXPECT_TRUE(clock_->Sleeps().empty());
}

TEST_F(KmsHttpRetryTest, RetriesThrottlingAndServerErrorsAndRebuildsEachAttempt) {
  client_->PushResponse(429, "");
  client_->PushResponse(503, "");
  client_->PushResponse(200, "ok");
  Result<HttpResponse> r = Make({.max_attempts = 5}).Send(Builder(), DefaultClassify);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(3u, client_->RequestCount());
  EXPECT_EQ(3, builds_);
  EXPECT_EQ("3", client_->Request(2).headers[0].second);  // a fresh request every time
}

TEST_F(KmsHttpRetryTest, RetriesTransportErrors) {
  client_->Push(UnavailableError("connection refused"));
  client_->PushResponse(200, "ok");
  EXPECT_TRUE(Make({}).Send(Builder(), DefaultClassify).ok());
}

TEST_F(KmsHttpRetryTest, DoesNotRetryOtherClientErrors) {
  client_->PushResponse(403, "");
  Result<HttpResponse> r = Make({.max_attempts = 5}).Send(Builder(), DefaultClassify);
  EXPECT_EQ(StatusCode::kPermissionDenied, r.status().code());
  EXPECT_EQ(1u, client_->RequestCount());
  client_->PushResponse(404, "");
}

TEST_F(KmsHttpRetryTest, BacksOffExponentiallyWithFullJitterUpToTheCap) {
  client_->PushResponse(500, "");
  RetryPolicy policy{.max_attempts = 6, .base_delay = milliseconds(100),
                     .max_delay = milliseconds(500), .total_timeout = std::chrono::hours(1)};
  Result<HttpResponse> r = Make(policy, 0.5).Send(Builder(), DefaultClassify);
  EXPECT_EQ(StatusCode::kUnavailable, r.status().code());
  EXPECT_NE(std::string::npos, r.status().message().find("gave up after 6 attempts"));
  std::vector<milliseconds> expected = {milliseconds(50), milliseconds(100), milliseconds(200),
                                        milliseconds(250), milliseconds(250)};
  EXPECT_EQ(expected, clock_->Sleeps());
}

TEST_F(KmsHttpRetryTest, JitterZeroMeansNoWait) {
  client_->PushResponse(500, "");
  (void)Make({.max_attempts = 3}, 0.0).Send(Builder(), DefaultClassify);
  EXPECT_EQ(std::vector<milliseconds>({milliseconds(0), milliseconds(0)}), clock_->Sleeps());
}

TEST_F(KmsHttpRetryTest, HonoursRetryAfter) {
  client_->PushResponse(429, "", {{"retry-after", "2"}});
  client_->PushResponse(200, "ok");
  EXPECT_TRUE(Make({.max_delay = milliseconds(5000)}, 0.0).Send(Builder(), DefaultClassify).ok());
  EXPECT_EQ(std::vector<milliseconds>({milliseconds(2000)}), clock_->Sleeps());
}

TEST_F(KmsHttpRetryTest, StopsAtTheTotalTimeout) {
  client_->PushResponse(503, "");
  RetryPolicy policy{.max_attempts = 100, .base_delay = milliseconds(1000),
                     .max_delay = milliseconds(1000), .total_timeout = milliseconds(3500)};
  Result<HttpResponse> r = Make(policy, 1.0).Send(Builder(), DefaultClassify);
  EXPECT_EQ(StatusCode::kUnavailable, r.status().code());
  EXPECT_EQ(4u, client_->RequestCount());  // at 0, 1000, 2000, 3000 ms
  EXPECT_LE(clock_->SteadyNow().time_since_epoch(), milliseconds(3500));
}

TEST_F(KmsHttpRetryTest, CutsTheRequestTimeoutToTheRemainingBudget) {
  client_->PushResponse(200, "ok");
  RetryPolicy policy{.total_timeout = milliseconds(1500)};
  ASSERT_TRUE(Make(policy).Send(Builder(), DefaultClassify).ok());
  EXPECT_EQ(milliseconds(1500), client_->Request(0).timeout);
}

TEST_F(KmsHttpRetryTest, ReturnsBuilderErrorsAsIs) {
  RequestBuilder failing = []() -> Result<HttpRequest> { return InvalidArgumentError("no creds"); };
  Result<HttpResponse> r = Make({}).Send(failing, DefaultClassify);
  EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  EXPECT_EQ(0u, client_->RequestCount());
}

TEST_F(KmsHttpRetryTest, UsesTheClassifierVerdict) {
  client_->PushResponse(400, R"({"__type":"ThrottlingException"})");
  client_->PushResponse(200, "ok");
  ResponseClassifier aws_like = [](const HttpResponse& r) -> Classification {
    if (r.BodyText().find("Throttling") != std::string_view::npos) {
      return {Classification::kRetry, UnavailableError("throttled")};
    }
    return DefaultClassify(r);
  };
  EXPECT_TRUE(Make({}).Send(Builder(), aws_like).ok());
  EXPECT_EQ(2u, client_->RequestCount());
}

TEST(KmsHttpStatusTest, MapsStatusCodes) {
  EXPECT_EQ(StatusCode::kPermissionDenied, StatusForHttp(401, "").code());
  EXPECT_EQ(StatusCode::kPermissionDenied, StatusForHttp(403, "").code());
  EXPECT_EQ(StatusCode::kNotFound, StatusForHttp(404, "").code());
  EXPECT_EQ(StatusCode::kInvalidArgument, StatusForHttp(400, "").code());
  EXPECT_EQ(StatusCode::kUnavailable, StatusForHttp(502, "").code());
  EXPECT_EQ(StatusCode::kFailedPrecondition, StatusForHttp(409, "").code());
}

}  // namespace
}  // namespace md::kms::http
