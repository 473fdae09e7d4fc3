#include "api/request_log.h"

#include <chrono>
#include <cstdio>
#include <optional>

namespace md::api {
namespace {

using Clock = std::chrono::steady_clock;

// httplib serves each connection on one pool thread, so the start of the request being served
// by this thread is enough (no shared state).
thread_local std::optional<Clock::time_point> request_start;

std::string Milliseconds(Clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f",
                std::chrono::duration<double, std::milli>(d).count());
  return buf;
}

}  // namespace

void RequestLog::Start() { request_start = Clock::now(); }

void RequestLog::Finish(const httplib::Request& req, const httplib::Response& res) const {
  const Clock::duration elapsed =
      request_start ? Clock::now() - *request_start : Clock::duration::zero();
  request_start.reset();
  const logging::Level level = res.status >= 500 ? logging::Level::kError : logging::Level::kInfo;
  logger_.Log(level, "http.server", "Request completed",
              {{"method", req.method},
               {"path", req.path},
               {"status", std::to_string(res.status)},
               {"duration_ms", Milliseconds(elapsed)},
               {"remote_addr", req.remote_addr}});
}

}  // namespace md::api
