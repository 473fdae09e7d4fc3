// RequestLog: one line per HTTP request (logger "http.server", msg "Request completed") with
// method, path (no query string), status, duration_ms and remote_addr. Never bodies or headers.
#pragma once

#include <httplib.h>

#include "logging/logger.h"

namespace md::api {

class RequestLog {
 public:
  explicit RequestLog(const logging::Logger& logger) : logger_(logger) {}

  // Marks the start of a request on this thread (the server calls it before routing).
  static void Start();
  // Writes the line; the server calls it after the response is sent.
  void Finish(const httplib::Request& req, const httplib::Response& res) const;

 private:
  const logging::Logger& logger_;
};

}  // namespace md::api
