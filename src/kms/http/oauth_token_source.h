// OAuthTokenSource: OAuth 2.0 bearer tokens from a token endpoint (RFC 6749 §5.1 responses with
// access_token and expires_in), cached and shared until `refresh_margin` before they expire. The
// grant itself (Google's JWT bearer, Entra ID client credentials) is the caller's RequestBuilder,
// called afresh before every attempt. Thread-safe: one fetch at a time; callers wait for it.
// Never logs; tokens never appear in errors.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/retry.h"

namespace md::kms::http {

class OAuthTokenSource {
 public:
  // grant: builds the token request; classify: maps the endpoint's errors (a refused grant should
  // be PermissionDenied); jitter: see Retrier.
  OAuthTokenSource(RequestBuilder grant, ResponseClassifier classify, RetryPolicy retry,
                   std::shared_ptr<const HttpClient> client, std::shared_ptr<const Clock> clock,
                   std::function<double()> jitter = nullptr,
                   std::chrono::seconds refresh_margin = std::chrono::minutes(5));

  // The cached token, or a fresh one. Errors start with "token endpoint: "; DataLoss when the
  // response has no access_token.
  Result<SecretBytes> Get() const;
  // Drops the cached token (after a 401), so the next Get fetches a new one.
  void Invalidate() const;
  // Token requests that succeeded so far.
  int Fetches() const;

 private:
  struct Token {
    SecretBytes value;
    std::chrono::system_clock::time_point expires_at;
  };
  Result<Token> Fetch() const;

  RequestBuilder grant_;
  ResponseClassifier classify_;
  std::shared_ptr<const Clock> clock_;
  Retrier retrier_;
  std::chrono::seconds refresh_margin_;
  mutable std::mutex mu_;
  mutable SecretBytes token_;                                 // Guarded by mu_; empty = none
  mutable std::chrono::system_clock::time_point expires_at_;  // Guarded by mu_
  mutable int fetches_ = 0;                                   // Guarded by mu_
};

// Sends with `retrier`, adding "Authorization: Bearer <token>" from `tokens` to the request `build`
// makes for each attempt. After a 401 the token is dropped and the whole call is made once more
// with a new one (a token revoked or expired early). Errors are those of Retrier::Send.
Result<HttpResponse> SendWithBearerToken(const Retrier& retrier, const OAuthTokenSource& tokens,
                                         const RequestBuilder& build, const ResponseClassifier& classify);

}  // namespace md::kms::http
