// A minimal absolute-URL parser for endpoint settings: scheme://host[:port][/path][?query].
// No userinfo and no fragment (rejected), since endpoints never need them.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace md::kms::http {

struct Url {
  std::string scheme;  // "http" | "https", lower-case
  std::string host;    // "kms.us-east-1.amazonaws.com", "127.0.0.1", "::1" (no brackets)
  int port = 0;        // explicit port, or 0 for the scheme default
  std::string path;    // "/" when empty
  std::string query;   // without '?'

  // The Host header libcurl sends: host, bracketed for IPv6, with ":port" only when the port is
  // explicit and not the scheme default.
  std::string HostHeader() const;
  // scheme://host[:port]/path[?query]
  std::string ToString() const;
  bool IsLoopback() const;
};

// InvalidArgument (naming the problem, not echoing credentials) for anything else.
Result<Url> ParseUrl(std::string_view text);

}  // namespace md::kms::http
