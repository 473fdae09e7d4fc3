// HttpClient: the seam between the KMS providers and the network. Providers receive one through
// their constructor, so unit tests pass a fake. Bodies may carry key material (base64 data keys),
// so they live in SecretBytes and are wiped when freed; implementations never log headers or bodies.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // absolute: scheme://host[:port]/path[?query]
  Headers headers;  // sent as given, in order
  SecretBytes body;
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // whole exchange
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names as received
  SecretBytes body;

  // The first value of the header named `name` (case-insensitive), if any.
  std::optional<std::string> Header(std::string_view name) const;
  std::string_view BodyText() const { return AsString(body.view()); }
};

// Thread-safe. Send returns any HTTP status as a response; only a transport failure (DNS, connect,
// TLS, timeout, reset) is an error, and that error is Unavailable.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) const = 0;
};

// Case-insensitive ASCII comparison of header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

}  // namespace md::kms::http
