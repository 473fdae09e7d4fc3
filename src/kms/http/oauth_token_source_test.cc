// OAuthTokenSource and SendWithBearerToken with a FakeHttpClient and FakeClock.
#include "kms/http/oauth_token_source.h"

#include <gtest/gtest.h>

#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::http {
namespace {

Result<HttpRequest> Grant() {
  HttpRequest request;
  request.url = "https://login.example.com/token";
  return request;
}

Result<HttpRequest> Call() {
  HttpRequest request;
  request.url = "https://kms.example.com/op";
  return request;
}

std::string AuthorizationOf(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") return value;
  }
  return "";
}

class OAuthTokenSourceTest : public testing::Test {
 protected:
  std::shared_ptr<FakeHttpClient> client_ = std::make_shared<FakeHttpClient>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  OAuthTokenSource tokens_{Grant, DefaultClassify, RetryPolicy{}, client_, clock_, [] { return 0.0; }};
  Retrier retrier_{client_, clock_, RetryPolicy{}, [] { return 0.0; }};
};

TEST_F(OAuthTokenSourceTest, ReadsExpiresInGivenAsAString) {
  client_->PushResponse(200, R"({"access_token":"t1","expires_in":"600"})");
  client_->PushResponse(200, R"({"access_token":"t2","expires_in":"600"})");
  EXPECT_EQ("t1", tokens_.Get()->InsecureString());
  clock_->Advance(std::chrono::seconds(299));
  EXPECT_EQ("t1", tokens_.Get()->InsecureString());
  clock_->Advance(std::chrono::seconds(1));
  EXPECT_EQ("t2", tokens_.Get()->InsecureString());
}

TEST_F(OAuthTokenSourceTest, ErrorsNameTheTokenEndpoint) {
  client_->PushResponse(200, R"({"token_type":"Bearer"})");
  Status s = tokens_.Get().status();
  EXPECT_EQ(StatusCode::kDataLoss, s.code());
  EXPECT_EQ("token endpoint: the response has no access_token", s.message());
}

TEST_F(OAuthTokenSourceTest, BearerCallsGetANewTokenOnceAfterA401) {
  client_->PushResponse(200, R"({"access_token":"old","expires_in":3600})");
  client_->PushResponse(401, "{}");
  client_->PushResponse(200, R"({"access_token":"new","expires_in":3600})");
  client_->PushResponse(200, "{}");
  Result<HttpResponse> r = SendWithBearerToken(retrier_, tokens_, Call, DefaultClassify);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(4u, client_->RequestCount());
  EXPECT_EQ("Bearer old", AuthorizationOf(client_->Request(1)));
  EXPECT_EQ("Bearer new", AuthorizationOf(client_->Request(3)));
  EXPECT_EQ(2, tokens_.Fetches());
}

TEST_F(OAuthTokenSourceTest, ASecond401IsPermissionDenied) {
  client_->PushResponse(200, R"({"access_token":"t","expires_in":3600})");
  client_->PushResponse(401, "{}");
  client_->PushResponse(200, R"({"access_token":"t","expires_in":3600})");
  client_->PushResponse(401, "{}");
  Status s = SendWithBearerToken(retrier_, tokens_, Call, DefaultClassify).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ(4u, client_->RequestCount());
}

}  // namespace
}  // namespace md::kms::http
