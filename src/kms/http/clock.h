// Clock: wall time (for request signing), monotonic time (for deadlines) and sleeping, behind one
// interface so retry and signing code can be tested with a fake that advances on SleepFor.
// Implementations are thread-safe.
#pragma once

#include <chrono>
#include <memory>

namespace md::kms::http {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) const = 0;
};

// The real clocks and std::this_thread::sleep_for.
std::shared_ptr<const Clock> NewSystemClock();

}  // namespace md::kms::http
