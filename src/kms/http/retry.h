// Retrier: sends a request with bounded retries — exponential backoff with full jitter
// (sleep = random(0, min(max_delay, base_delay * 2^attempt))), honouring Retry-After — on
// throttling, 5xx and transport errors (kms-protocols.md §0 "Retry skeleton"). The request is
// rebuilt by a callback before every attempt, so signatures and tokens are always fresh.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "common/status.h"
#include "kms/http/clock.h"
#include "kms/http/http_client.h"

namespace md::kms::http {

struct RetryPolicy {
  int max_attempts = 3;                                          // total, including the first
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{std::chrono::seconds(20)};  // cap on one sleep
  // Bound on the whole call (requests and sleeps), measured from the first attempt.
  std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};
};

// What a response means to the caller. `error` is set for kRetry and kFail.
struct Classification {
  enum Verdict { kSuccess, kRetry, kFail };
  Verdict verdict = kSuccess;
  Status error;
};

using RequestBuilder = std::function<Result<HttpRequest>()>;
using ResponseClassifier = std::function<Classification(const HttpResponse&)>;

// 2xx success; 429 and 5xx retry (Unavailable); other statuses fail with StatusForHttp.
Classification DefaultClassify(const HttpResponse& response);

// Maps a non-retryable HTTP status to a code: 401/403 PermissionDenied, 404 NotFound,
// 409/412 FailedPrecondition, 429/5xx Unavailable, other 4xx InvalidArgument, else Internal.
Status StatusForHttp(int http_status, std::string message);

// For service-specific classifiers: "<message> (HTTP <status>)" as kRetry/Unavailable when
// `retryable`, else kFail with StatusForHttp. `message` is the service's error text (never the request).
Classification ClassifyHttpError(int http_status, bool retryable, std::string message);

// For token endpoints: `c` (a service classifier's verdict on an `http_status` answer) with a
// non-retryable 4xx made PermissionDenied, since it means the credentials were refused.
Classification RefusedCredentialsAreDenied(Classification c, int http_status);

// A service's error text for a Status message: one line (CR and LF become blanks), at most 512
// characters, "error" when empty.
std::string OneLineErrorText(std::string text);

// Thread-safe if the client, clock and jitter source are.
class Retrier {
 public:
  // jitter returns a uniform value in [0, 1); null means a per-thread std::mt19937_64.
  Retrier(std::shared_ptr<const HttpClient> client, std::shared_ptr<const Clock> clock,
          RetryPolicy policy, std::function<double()> jitter = nullptr);

  // The first successful response. Errors: the builder's own error as is; kFail's error as is;
  // after the attempts or the time budget run out, Unavailable carrying the last error message.
  Result<HttpResponse> Send(const RequestBuilder& build, const ResponseClassifier& classify) const;

  const RetryPolicy& policy() const { return policy_; }

 private:
  std::chrono::milliseconds Backoff(int attempt, const HttpResponse* response) const;

  std::shared_ptr<const HttpClient> client_;
  std::shared_ptr<const Clock> clock_;
  RetryPolicy policy_;
  std::function<double()> jitter_;
};

}  // namespace md::kms::http
