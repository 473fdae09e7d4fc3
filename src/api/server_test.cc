#include "api/server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "api/health_handler.h"

namespace md::api {
namespace {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(Router router) {
    settings_.http_addr = "127.0.0.1";
    settings_.http_port = FreePort();
    settings_.max_body_bytes = 1024;
    auto server = HttpServer::New(settings_, std::move(router), *logger_);
    ASSERT_TRUE(server.ok());
    server_ = std::move(*server);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { EXPECT_TRUE(server_->Serve().ok()); });
    while (!client_ready_) {  // wait until the accept loop answers
      client_ = std::make_unique<httplib::Client>("127.0.0.1", settings_.http_port);
      client_ready_ = static_cast<bool>(client_->Get("/ready-probe"));
    }
  }
  Router HealthRouter(Status ping_result) {
    Router router;
    router.Add("GET", "/api/health",
               NewHealthHandler([ping_result] { return ping_result; }, {"1.2.3", "abc"}, *logger_));
    router.Add("POST", "/api/echo", [](const Request& req, Response& res) {
      res.set_content(req.http.body, "text/plain");
    });
    return router;
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
  }

  std::vector<std::string> log_lines_;
  std::unique_ptr<logging::Logger> logger_ =
      logging::Logger::NewForTest(logging::Format::kLogfmt, logging::Level::kInfo, &log_lines_);
  config::ServerSettings settings_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  bool client_ready_ = false;
};

TEST_F(ServerTest, HealthAnswersJson) {
  StartServer(HealthRouter(OkStatus()));
  auto res = client_->Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(res->body),
            (nlohmann::json{{"commit", "abc"}, {"database", "ok"}, {"version", "1.2.3"}}));
}

TEST_F(ServerTest, HealthIs503WhenDatabaseFails) {
  StartServer(HealthRouter(UnavailableError("gone")));
  auto res = client_->Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(nlohmann::json::parse(res->body)["database"], "failing");
}

TEST_F(ServerTest, ErrorsAreJsonMessages) {
  StartServer(HealthRouter(OkStatus()));
  auto not_found = client_->Get("/api/nope");
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->status, 404);
  EXPECT_EQ(nlohmann::json::parse(not_found->body), (nlohmann::json{{"message", "Not found"}}));
  auto not_allowed = client_->Delete("/api/health");
  ASSERT_TRUE(not_allowed);
  EXPECT_EQ(not_allowed->status, 405);
  EXPECT_EQ(not_allowed->get_header_value("Allow"), "GET");
  auto too_large = client_->Post("/api/echo", std::string(4096, 'x'), "text/plain");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(nlohmann::json::parse(too_large->body)["message"], "Request body too large");
  auto echo = client_->Post("/api/echo", "hi", "text/plain");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "hi");
}

TEST_F(ServerTest, LogsOneLinePerRequestWithoutQuery) {
  StartServer(HealthRouter(OkStatus()));
  ASSERT_TRUE(client_->Get("/api/health?token=s3cret"));
  server_->Stop();
  thread_.join();
  server_.reset();
  ASSERT_EQ(log_lines_.size(), 3u);  // "listening", the probe, the request
  const std::string& line = log_lines_[2];
  EXPECT_NE(line.find("method=GET path=/api/health status=200 duration_ms="), std::string::npos);
  EXPECT_NE(line.find("remote_addr=127.0.0.1"), std::string::npos);
  EXPECT_EQ(line.find("s3cret"), std::string::npos);
}

TEST_F(ServerTest, SecondBindOnSamePortFails) {
  StartServer(HealthRouter(OkStatus()));
  auto second = HttpServer::New(settings_, Router(), *logger_);
  ASSERT_TRUE(second.ok());
  const Status status = (*second)->Bind();
  EXPECT_EQ(status.message(), "cannot listen on 127.0.0.1:" +
                                  std::to_string(settings_.http_port) +
                                  ": address already in use");
}

}  // namespace
}  // namespace md::api
