#include "kms/http/clock.h"

#include <thread>

namespace md::kms::http {
namespace {

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::now();
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    std::this_thread::sleep_for(duration);
  }
};

}  // namespace

std::shared_ptr<const Clock> NewSystemClock() { return std::make_shared<SystemClock>(); }

}  // namespace md::kms::http
