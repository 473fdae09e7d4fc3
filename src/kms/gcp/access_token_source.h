// AccessTokenSource: OAuth 2.0 access tokens for a service account, obtained with a self-signed
// RS256 JWT assertion (grant_type jwt-bearer) at the token URL (kms-protocols.md §3.4), cached
// until 5 minutes before they expire (http::OAuthTokenSource). Thread-safe. Never logs; tokens and
// assertions never appear in errors.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kms/gcp/service_account.h"
#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/oauth_token_source.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::gcp {

struct TokenSourceOptions {
  ServiceAccountKey account;
  http::Url token_url;  // also the JWT "aud"
  std::string scope = "https://www.googleapis.com/auth/cloudkms";
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
  http::RetryPolicy retry;
  std::chrono::seconds refresh_margin{std::chrono::minutes(5)};
};

// Get: PermissionDenied when the token endpoint refuses the assertion; Unavailable when it cannot
// be reached. Not movable (the grant refers to this object).
class AccessTokenSource : public http::OAuthTokenSource {
 public:
  AccessTokenSource(TokenSourceOptions options, std::shared_ptr<const http::HttpClient> client,
                    std::shared_ptr<const http::Clock> clock, std::function<double()> jitter = nullptr);

 private:
  Result<http::HttpRequest> BuildRequest() const;

  TokenSourceOptions options_;
  std::shared_ptr<const http::Clock> clock_;
};

}  // namespace md::kms::gcp
