#include "kms/http/retry.h"

#include <algorithm>
#include <charconv>
#include <random>

namespace md::kms::http {
namespace {

double ThreadLocalJitter() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Retry-After in whole seconds; the HTTP-date form is ignored.
std::optional<std::chrono::milliseconds> RetryAfter(const HttpResponse& response) {
  std::optional<std::string> value = response.Header("Retry-After");
  if (!value) return std::nullopt;
  long seconds = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc() || ptr != value->data() + value->size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(std::min(seconds, 3600L));
}

}  // namespace

Status StatusForHttp(int http_status, std::string message) {
  if (http_status == 401 || http_status == 403) return PermissionDeniedError(std::move(message));
  if (http_status == 404) return NotFoundError(std::move(message));
  if (http_status == 409 || http_status == 412) return FailedPreconditionError(std::move(message));
  if (http_status == 429 || http_status >= 500) return UnavailableError(std::move(message));
  if (http_status >= 400) return InvalidArgumentError(std::move(message));
  return InternalError(std::move(message));
}

Classification DefaultClassify(const HttpResponse& response) {
  if (response.status >= 200 && response.status < 300) return {};
  std::string message = "HTTP " + std::to_string(response.status);
  if (response.status == 429 || response.status >= 500) {
    return {Classification::kRetry, UnavailableError(std::move(message))};
  }
  return {Classification::kFail, StatusForHttp(response.status, std::move(message))};
}

Retrier::Retrier(std::shared_ptr<const HttpClient> client, std::shared_ptr<const Clock> clock,
                 RetryPolicy policy, std::function<double()> jitter)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      policy_(policy),
      jitter_(jitter ? std::move(jitter) : ThreadLocalJitter) {
  policy_.max_attempts = std::max(policy_.max_attempts, 1);
}

std::chrono::milliseconds Retrier::Backoff(int attempt, const HttpResponse* response) const {
  // attempt is 0 for the sleep after the first try.
  double ceiling = static_cast<double>(policy_.base_delay.count()) * static_cast<double>(1LL << std::min(attempt, 30));
  ceiling = std::min(ceiling, static_cast<double>(policy_.max_delay.count()));
  auto delay = std::chrono::milliseconds(static_cast<int64_t>(jitter_() * ceiling));
  if (response != nullptr) {
    if (auto after = RetryAfter(*response)) delay = std::max(delay, std::min(*after, policy_.max_delay));
  }
  return delay;
}

Result<HttpResponse> Retrier::Send(const RequestBuilder& build,
                                   const ResponseClassifier& classify) const {
  const auto deadline = clock_->SteadyNow() + policy_.total_timeout;
  Status last_error = UnavailableError("no attempt was made");
  int attempt = 0;
  for (; attempt < policy_.max_attempts; ++attempt) {
    // Step 1: a fresh request (re-signed) with its timeout cut to the remaining budget.
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_->SteadyNow());
    if (remaining.count() <= 0) break;
    Result<HttpRequest> request = build();
    if (!request.ok()) return request.status();
    request->timeout = std::min(request->timeout, remaining);

    // Step 2: send and classify.
    Result<HttpResponse> response = client_->Send(*request);
    const HttpResponse* retry_hint = nullptr;
    if (response.ok()) {
      Classification c = classify(*response);
      if (c.verdict == Classification::kSuccess) return response;
      if (c.verdict == Classification::kFail) return c.error;
      last_error = c.error;
      retry_hint = &*response;
    } else {
      last_error = response.status();
    }

    // Step 3: back off, unless this was the last attempt or the sleep would pass the deadline.
    if (attempt + 1 >= policy_.max_attempts) {
      ++attempt;
      break;
    }
    auto delay = Backoff(attempt, retry_hint);
    if (clock_->SteadyNow() + delay >= deadline) {
      ++attempt;
      break;
    }
    clock_->SleepFor(delay);
  }
  return UnavailableError(last_error.message() + " (gave up after " + std::to_string(attempt) +
                          (attempt == 1 ? " attempt)" : " attempts)"));
}

Classification ClassifyHttpError(int http_status, bool retryable, std::string message) {
  message += " (HTTP " + std::to_string(http_status) + ")";
  if (retryable) return {Classification::kRetry, UnavailableError(std::move(message))};
  return {Classification::kFail, StatusForHttp(http_status, std::move(message))};
}

Classification RefusedCredentialsAreDenied(Classification c, int http_status) {
  if (c.verdict == Classification::kFail && http_status >= 400 && http_status < 500) {
    c.error = PermissionDeniedError(c.error.message());
  }
  return c;
}

std::string OneLineErrorText(std::string text) {
  for (char& ch : text) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  if (text.empty()) text = "error";
  if (text.size() > 512) text.resize(512);
  return text;
}

}  // namespace md::kms::http
