#include "api/request_metrics.h"

#include <chrono>
#include <optional>

namespace md::api {
namespace {

using Clock = std::chrono::steady_clock;

// httplib serves a request on one pool thread from routing to logging.
thread_local std::optional<Clock::time_point> request_start;
thread_local std::string request_route;

}  // namespace

void RequestMetrics::Start() {
  request_start = Clock::now();
  request_route = "unmatched";
}

void RequestMetrics::SetRoute(const std::string& pattern) { request_route = pattern; }

void RequestMetrics::Finish(const httplib::Request& req, const httplib::Response& res) const {
  double seconds = request_start ? std::chrono::duration<double>(Clock::now() - *request_start).count() : 0;
  registry_.CounterFamily("md_http_requests_total", "HTTP requests by method, route and status")
      .With({{"method", req.method}, {"route", request_route}, {"status", std::to_string(res.status)}})
      .Inc();
  registry_.HistogramFamily("md_http_request_duration_seconds", "HTTP request latency by route")
      .With({{"method", req.method}, {"route", request_route}}, DefaultLatencyBuckets())
      .Observe(seconds);
  request_start.reset();
}

}  // namespace md::api
