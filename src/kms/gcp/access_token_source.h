// AccessTokenSource: OAuth 2.0 access tokens for a service account, obtained with a self-signed
// RS256 JWT assertion (grant_type jwt-bearer) at the token URL (kms-protocols.md §3.4), cached
// until 5 minutes before they expire. Thread-safe: one fetch at a time; callers wait for it.
// Never logs; tokens and assertions never appear in errors.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "kms/gcp/service_account.h"
#include "kms/http/clock.h"
#include "kms/http/http_client.h"
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

class AccessTokenSource {
 public:
  AccessTokenSource(TokenSourceOptions options, std::shared_ptr<const http::HttpClient> client,
                    std::shared_ptr<const http::Clock> clock, std::function<double()> jitter = nullptr);

  // The cached token, or a fresh one. PermissionDenied when the token endpoint refuses the
  // assertion; Unavailable when it cannot be reached.
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
  Result<http::HttpRequest> BuildRequest() const;

  TokenSourceOptions options_;
  std::shared_ptr<const http::Clock> clock_;
  http::Retrier retrier_;
  mutable std::mutex mu_;
  mutable SecretBytes token_;                                 // Guarded by mu_; empty = none
  mutable std::chrono::system_clock::time_point expires_at_;  // Guarded by mu_
  mutable int fetches_ = 0;                                   // Guarded by mu_
};

}  // namespace md::kms::gcp
