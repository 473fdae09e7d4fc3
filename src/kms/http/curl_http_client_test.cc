#include "kms/http/curl_http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace md::kms::http {
namespace {

// A one-shot loopback HTTP server: accepts one connection, records the raw request, replies.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 1);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  int port() const { return port_; }
  const std::string& received() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }

 private:
  void Serve() {
    int conn = accept(fd_, nullptr, nullptr);
    if (conn < 0) return;
    char buf[4096];
    while (true) {
      ssize_t n = read(conn, buf, sizeof(buf));
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
      std::size_t end = received_.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      std::size_t cl = received_.find("Content-Length: ");
      std::size_t want = cl == std::string::npos ? 0 : std::stoul(received_.substr(cl + 16));
      if (received_.size() >= end + 4 + want) break;
    }
    (void)!write(conn, reply_.data(), reply_.size());
    close(conn);
  }

  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::string received_;
  std::thread thread_;
};

TEST(KmsCurlHttpClientTest, SendsHeadersAndBodyAndReadsTheResponse) {
  OneShotServer server(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\n"
      "X-Amzn-RequestId: abc\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "TrentService.Encrypt"}};
  req.body = SecretBytes(std::string_view(R"({"a":1})"));
  Result<HttpResponse> r = CurlHttpClient::New()->Send(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(400, r->status);
  EXPECT_EQ("{}", r->BodyText());
  EXPECT_EQ("abc", r->Header("x-amzn-requestid").value_or(""));
  const std::string& raw = server.received();
  EXPECT_TRUE(raw.starts_with("POST / HTTP/1.1\r\n")) << raw;
  EXPECT_NE(std::string::npos, raw.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"));
  EXPECT_NE(std::string::npos, raw.find("Content-Type: application/x-amz-json-1.1\r\n"));
  EXPECT_EQ(std::string::npos, raw.find("Expect:"));
  EXPECT_TRUE(raw.ends_with("\r\n\r\n{\"a\":1}"));
}

TEST(KmsCurlHttpClientTest, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    OneShotServer probe("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    port = probe.port();
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    (void)CurlHttpClient::New()->Send(req);
  }  // the port is closed now
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  req.body = SecretBytes(std::string_view("secret-body"));
  Result<HttpResponse> r = CurlHttpClient::New()->Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kUnavailable, r.status().code());
  EXPECT_EQ(std::string::npos, r.status().message().find("secret-body"));
}

TEST(KmsCurlHttpClientTest, RejectsNonHttpSchemes) {
  HttpRequest req;
  req.url = "file:///etc/passwd";
  EXPECT_EQ(StatusCode::kInvalidArgument, CurlHttpClient::New()->Send(req).status().code());
}

}  // namespace
}  // namespace md::kms::http
