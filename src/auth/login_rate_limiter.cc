#include "auth/login_rate_limiter.h"

namespace md::auth {
namespace {

std::string UserKey(std::string_view login) { return "user:" + std::string(login); }
std::string AddressKey(std::string_view address) { return "addr:" + std::string(address); }

}  // namespace

LoginRateLimiter::LoginRateLimiter(Options options, std::function<Clock::time_point()> now)
    : options_(options), now_(std::move(now)) {}

const LoginRateLimiter::Failures* LoginRateLimiter::Recent(const std::string& key,
                                                           Clock::time_point now) const {
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    return nullptr;
  }
  Failures& list = it->second;
  while (!list.empty() && now - list.front() >= options_.window) {
    list.pop_front();
  }
  if (list.empty()) {
    failures_.erase(it);
    return nullptr;
  }
  return &list;
}

Status LoginRateLimiter::Check(std::string_view login, std::string_view address) const {
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& key : {UserKey(login), AddressKey(address)}) {
    const Failures* list = Recent(key, now);
    if (list != nullptr && static_cast<int>(list->size()) >= options_.max_failures) {
      auto wait = std::chrono::ceil<std::chrono::seconds>(list->front() + options_.window - now);
      return UnavailableError("too many failed logins; try again in " +
                              std::to_string(std::max<int64_t>(1, wait.count())) + "s");
    }
  }
  return OkStatus();
}

void LoginRateLimiter::RecordFailure(std::string_view login, std::string_view address) {
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() + 2 > options_.max_tracked_keys) {
    Evict(now);
  }
  for (const std::string& key : {UserKey(login), AddressKey(address)}) {
    failures_[key].push_back(now);
  }
}

void LoginRateLimiter::Evict(Clock::time_point now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    bool stale = it->second.empty() || now - it->second.back() >= options_.window;
    it = stale ? failures_.erase(it) : std::next(it);
  }
  // Still full of live keys: forget everything rather than grow without bound.
  if (failures_.size() + 2 > options_.max_tracked_keys) {
    failures_.clear();
  }
}

}  // namespace md::auth
