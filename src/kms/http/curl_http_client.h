// CurlHttpClient: HttpClient over libcurl. One easy handle per call, so it is thread-safe without
// locks. TLS peer and host verification are always on; only http and https are allowed; redirects
// are not followed; nothing is logged. Bodies are written into SecretBytes.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kms/http/http_client.h"

namespace md::kms::http {

struct CurlOptions {
  std::string ca_file;  // extra CA bundle (e.g. an emulator's self-signed CA); empty = system
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
};

class CurlHttpClient : public HttpClient {
 public:
  // Initialises libcurl once per process (thread-safe).
  static std::shared_ptr<CurlHttpClient> New(CurlOptions options = {});

  // Transport failures are Unavailable: "<method> <host>: <curl error>" (no headers, no body).
  Result<HttpResponse> Send(const HttpRequest& request) const override;

 private:
  explicit CurlHttpClient(CurlOptions options) : options_(std::move(options)) {}
  CurlOptions options_;
};

}  // namespace md::kms::http
