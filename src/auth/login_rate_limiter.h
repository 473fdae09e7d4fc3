// LoginRateLimiter: refuses logins after too many recent failures, counted separately per login
// and per client address (an attacker spraying one account from many addresses, or many accounts
// from one address, is slowed either way). Successful logins are not counted. In memory, so each
// replica limits on its own. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <deque>

#include "common/status.h"

namespace md::auth {

class LoginRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    int max_failures = 5;
    std::chrono::seconds window{300};
    std::size_t max_tracked_keys = 100000;  // memory bound; the oldest keys are dropped first
  };

  explicit LoginRateLimiter(Options options, std::function<Clock::time_point()> now = Clock::now);

  // OK, or Unavailable "too many failed logins; try again in Ns" when either the login or the
  // address has max_failures failures within the window.
  Status Check(std::string_view login, std::string_view address) const;
  // Counts one failure for both keys.
  void RecordFailure(std::string_view login, std::string_view address);

 private:
  using Failures = std::deque<Clock::time_point>;
  // Drops the failures older than the window; returns the key's remaining failures (or null).
  const Failures* Recent(const std::string& key, Clock::time_point now) const;
  void Evict(Clock::time_point now);

  Options options_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Failures, std::less<>> failures_;  // Guarded by mu_
};

}  // namespace md::auth
