// RequestMetrics: Prometheus series for every HTTP request, labelled by the matched route pattern
// (never the raw path, so ids do not multiply the series):
//   md_http_requests_total{method, route, status}
//   md_http_request_duration_seconds{method, route}   (histogram)
#pragma once

#include <httplib.h>

#include <string>

#include "common/metrics.h"

namespace md::api {

class RequestMetrics {
 public:
  explicit RequestMetrics(MetricsRegistry& registry) : registry_(registry) {}

  // The server calls Start before routing and SetRoute once the route is known ("unmatched" for
  // 404/405), on the thread that serves the request.
  static void Start();
  static void SetRoute(const std::string& pattern);
  void Finish(const httplib::Request& req, const httplib::Response& res) const;

 private:
  MetricsRegistry& registry_;
};

}  // namespace md::api
