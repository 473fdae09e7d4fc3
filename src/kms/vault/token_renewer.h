// TokenRenewer: runs a renewal callback on a fixed interval in a background thread until it is
// destroyed, and keeps the outcome of the last run. It never logs; the provider reports the last
// failure only when one of its own calls fails. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"

namespace md::kms::vault {

class TokenRenewer {
 public:
  // The first run is one interval after construction. interval must be positive.
  TokenRenewer(std::chrono::milliseconds interval, std::function<Status()> renew);
  // Stops the thread, waiting for a run in progress to finish.
  ~TokenRenewer();
  TokenRenewer(const TokenRenewer&) = delete;
  TokenRenewer& operator=(const TokenRenewer&) = delete;

  // OK until a run fails; the last run's error otherwise.
  Status LastError() const;
  int Runs() const;

 private:
  void Loop();

  const std::chrono::milliseconds interval_;
  const std::function<Status()> renew_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;       // Guarded by mu_
  Status last_error_;       // Guarded by mu_
  int runs_ = 0;            // Guarded by mu_
  std::thread thread_;      // last: starts after everything above exists
};

}  // namespace md::kms::vault
