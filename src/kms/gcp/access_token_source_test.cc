// AccessTokenSource with a FakeHttpClient and FakeClock: caching, refresh before expiry, errors.
#include "kms/gcp/access_token_source.h"

#include <gtest/gtest.h>

#include "kms/gcp/test_credentials.h"
#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::gcp {
namespace {

class AccessTokenSourceTest : public testing::Test {
 protected:
  AccessTokenSource Make() {
    TokenSourceOptions options;
    options.account = *LoadServiceAccountKey(creds_.path());
    options.token_url = *http::ParseUrl("https://oauth2.example.com/token");
    return AccessTokenSource(std::move(options), client_, clock_, [] { return 0.0; });
  }
  TestCredentials creds_{"md@p", "https://oauth2.example.com/token"};
  std::shared_ptr<http::FakeHttpClient> client_ = std::make_shared<http::FakeHttpClient>();
  std::shared_ptr<http::FakeClock> clock_ = std::make_shared<http::FakeClock>();
};

TEST_F(AccessTokenSourceTest, CachesUntilFiveMinutesBeforeExpiry) {
  client_->PushResponse(200, R"({"access_token":"tok1","expires_in":3599,"token_type":"Bearer"})");
  client_->PushResponse(200, R"({"access_token":"tok2","expires_in":3599,"token_type":"Bearer"})");
  AccessTokenSource tokens = Make();
  EXPECT_EQ("tok1", tokens.Get()->InsecureString());
  clock_->Advance(std::chrono::minutes(54));
  EXPECT_EQ("tok1", tokens.Get()->InsecureString());
  clock_->Advance(std::chrono::minutes(1));
  EXPECT_EQ("tok2", tokens.Get()->InsecureString());
  EXPECT_EQ(2, tokens.Fetches());
  tokens.Invalidate();
  EXPECT_EQ("tok2", tokens.Get()->InsecureString());  // the fake repeats its last response
  EXPECT_EQ(3, tokens.Fetches());
}

TEST_F(AccessTokenSourceTest, SendsAJwtBearerGrant) {
  client_->PushResponse(200, R"({"access_token":"tok1","expires_in":3599})");
  ASSERT_TRUE(Make().Get().ok());
  const http::HttpRequest& r = client_->Request(0);
  EXPECT_EQ("https://oauth2.example.com/token", r.url);
  std::string body(AsString(r.body.view()));
  EXPECT_TRUE(body.starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"));
}

TEST_F(AccessTokenSourceTest, ARefusedGrantIsPermissionDeniedAndNotRetried) {
  client_->PushResponse(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  Status s = Make().Get().status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("token endpoint: invalid_grant: Invalid JWT Signature. (HTTP 400)", s.message());
  EXPECT_EQ(1u, client_->RequestCount());
}

}  // namespace
}  // namespace md::kms::gcp
