// FakeClock for tests: starts at a fixed instant and advances only when SleepFor is called
// (or Advance). Records every sleep. Thread-safe.
#pragma once

#include <mutex>
#include <vector>

#include "kms/http/clock.h"

namespace md::kms::http {

class FakeClock : public Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point start =
                         std::chrono::system_clock::from_time_t(1440938160))  // 20150830T123600Z
      : wall_(start) {}

  std::chrono::system_clock::time_point Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_ + elapsed_;
  }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::chrono::steady_clock::time_point(elapsed_);
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
    elapsed_ += duration;
  }
  void Advance(std::chrono::milliseconds duration) {
    std::lock_guard<std::mutex> lock(mu_);
    elapsed_ += duration;
  }
  std::vector<std::chrono::milliseconds> Sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  std::chrono::system_clock::time_point wall_;
  mutable std::chrono::milliseconds elapsed_{0};                 // Guarded by mu_
  mutable std::vector<std::chrono::milliseconds> sleeps_;        // Guarded by mu_
};

}  // namespace md::kms::http
