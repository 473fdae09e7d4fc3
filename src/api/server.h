// HttpServer: cpp-httplib on [server] http_addr:http_port (HTTPS with cert_file/cert_key when
// protocol = https), dispatching through a Router. Adds JSON errors for 400/404/405/413/500, the
// body size limit ([server] max_body_size), the read timeout and one request log line per request.
//   auto server = HttpServer::New(settings.server, std::move(router), logger);
//   if (Status s = (*server)->Bind(); !s.ok()) ...   // "cannot listen on 0.0.0.0:3000: ..."
//   (*server)->Serve();   // blocks; another thread calls Stop() (e.g. on SIGTERM)
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "api/request_log.h"
#include "api/request_metrics.h"
#include "api/router.h"
#include "common/status.h"
#include "config/settings.h"
#include "logging/logger.h"

namespace md::api {

class HttpServer {
 public:
  // FailedPrecondition when the TLS certificate or key cannot be loaded.
  static Result<std::unique_ptr<HttpServer>> New(const config::ServerSettings& settings,
                                                 Router router, const logging::Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the listening socket. Unavailable "cannot listen on <addr>:<port>: <reason>".
  Status Bind();
  // The bound port (useful with http_port resolved by the OS); 0 before Bind().
  int port() const { return port_; }
  // Serves until Stop(); returns once in-flight requests have finished.
  Status Serve();
  // Stops accepting connections; thread-safe. In-flight requests finish.
  void Stop();
  // Records md_http_* series for every request into `registry`. REQUIRES: called before Serve().
  void RecordMetrics(MetricsRegistry& registry) { metrics_ = std::make_unique<RequestMetrics>(registry); }

 private:
  HttpServer(const config::ServerSettings& settings, Router router, const logging::Logger& logger,
             std::unique_ptr<httplib::Server> http);
  void Configure();
  void Dispatch(const httplib::Request& req, httplib::Response& res) const;

  config::ServerSettings settings_;
  Router router_;
  const logging::Logger& logger_;
  RequestLog request_log_;
  std::unique_ptr<RequestMetrics> metrics_;  // null: no metrics
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> stop_requested_{false};
};

}  // namespace md::api
