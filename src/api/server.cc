#include "api/server.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "api/json_response.h"

namespace md::api {
namespace {

constexpr std::size_t kWorkerThreads = 128;
constexpr std::size_t kKeepAliveMaxRequests = 1000;

std::string JoinMethods(const std::vector<std::string>& methods) {
  std::string out;
  for (const std::string& m : methods) {
    if (out.find(m) == std::string::npos) {
      out += (out.empty() ? "" : ", ") + m;
    }
  }
  return out;
}

// Only SO_REUSEADDR: never SO_REUSEPORT, so a second server on the same port fails to bind.
void SocketOptions(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::New(const config::ServerSettings& settings,
                                                    Router router,
                                                    const logging::Logger& logger) {
  std::unique_ptr<httplib::Server> http;
  if (settings.protocol == "https") {
    http = std::make_unique<httplib::SSLServer>(settings.cert_file.c_str(),
                                                settings.cert_key.c_str());
    if (!http->is_valid()) {
      return FailedPreconditionError("cannot load the TLS certificate " + settings.cert_file +
                                     " and key " + settings.cert_key +
                                     " (server.cert_file, server.cert_key)");
    }
  } else {
    http = std::make_unique<httplib::Server>();
  }
  std::unique_ptr<HttpServer> server(
      new HttpServer(settings, std::move(router), logger, std::move(http)));
  server->Configure();
  return server;
}

HttpServer::HttpServer(const config::ServerSettings& settings, Router router,
                       const logging::Logger& logger, std::unique_ptr<httplib::Server> http)
    : settings_(settings),
      router_(std::move(router)),
      logger_(logger),
      request_log_(logger),
      http_(std::move(http)) {}

HttpServer::~HttpServer() = default;

void HttpServer::Configure() {
  const auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  const std::string any = ".*";
  http_->Get(any, dispatch).Post(any, dispatch).Put(any, dispatch);
  http_->Patch(any, dispatch).Delete(any, dispatch).Options(any, dispatch);
  http_->set_payload_max_length(static_cast<size_t>(settings_.max_body_bytes));
  // A keep-alive connection holds its worker between requests, so the pool must be larger than
  // the number of concurrent clients (httplib's default of 8 made the 9th client wait for a
  // keep-alive timeout: ~280 requests/s whatever the handler).
  http_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http_->set_keep_alive_max_count(kKeepAliveMaxRequests);
  const auto timeout = settings_.read_timeout.count() > 0 ? settings_.read_timeout
                                                           : std::chrono::milliseconds(86400000);
  http_->set_read_timeout(timeout);
  http_->set_socket_options(SocketOptions);
  http_->set_tcp_nodelay(true);  // small JSON answers must not wait for delayed ACKs (Nagle)
  http_->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    RequestLog::Start();
    RequestMetrics::Start();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;  // a handler already wrote JSON
        }
        WriteError(res, res.status, DefaultErrorMessage(res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        logger_.Error("http.server", "Handler failed", {{"method", req.method}, {"path", req.path}});
        WriteError(res, 500, "Internal server error");
      });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    request_log_.Finish(req, res);
    if (metrics_) metrics_->Finish(req, res);
  });
}

void HttpServer::Dispatch(const httplib::Request& req, httplib::Response& res) const {
  Router::Match match = router_.Find(req.method, req.path);
  switch (match.outcome) {
    case Router::Outcome::kFound:
      RequestMetrics::SetRoute(match.pattern);
      (*match.handler)(Request{req, std::move(match.params)}, res);
      return;
    case Router::Outcome::kMethodNotAllowed:
      res.set_header("Allow", JoinMethods(match.allowed));
      WriteError(res, 405, DefaultErrorMessage(405));
      return;
    case Router::Outcome::kNotFound:
      WriteError(res, 404, DefaultErrorMessage(404));
      return;
  }
}

Status HttpServer::Bind() {
  errno = 0;
  if (!http_->bind_to_port(settings_.http_addr, settings_.http_port)) {
    const int err = errno;
    const std::string reason = err == EADDRINUSE ? "address already in use"
                               : err != 0        ? std::strerror(err)
                                                 : "cannot bind";
    return UnavailableError("cannot listen on " + settings_.http_addr + ":" +
                            std::to_string(settings_.http_port) + ": " + reason);
  }
  port_ = settings_.http_port;
  return OkStatus();
}

Status HttpServer::Serve() {
  logger_.Info("http.server", "HTTP server listening",
               {{"protocol", settings_.protocol},
                {"address", settings_.http_addr + ":" + std::to_string(port_)}});
  serving_ = true;
  const bool ok = stop_requested_ || http_->listen_after_bind();
  serving_ = false;
  if (!ok) {
    return UnavailableError("the HTTP server stopped unexpectedly");
  }
  return OkStatus();
}

void HttpServer::Stop() {
  stop_requested_ = true;
  // httplib's stop() does nothing until its accept loop runs: wait for it when Serve() has been
  // entered, so a signal that arrives during start-up is not lost.
  while (serving_ && !http_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
}

}  // namespace md::api
