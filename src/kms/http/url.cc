#include "kms/http/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace md::kms::http {

std::string Url::HostHeader() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (port != 0 && !default_port) out += ":" + std::to_string(port);
  return out;
}

std::string Url::ToString() const {
  std::string out = scheme + "://" + HostHeader() + path;
  if (!query.empty()) out += "?" + query;
  return out;
}

bool Url::IsLoopback() const {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Result<Url> ParseUrl(std::string_view text) {
  Url url;
  std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) return InvalidArgumentError("URL needs a scheme (https://...)");
  url.scheme = std::string(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https") {
    return InvalidArgumentError("URL scheme must be http or https");
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find_first_of("#@ \t\r\n") != std::string_view::npos) {
    return InvalidArgumentError("URL must not contain user info, a fragment or spaces");
  }
  std::size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);

  // Host, with IPv6 literals in brackets, then an optional port.
  std::string_view port_text;
  if (authority.starts_with("[")) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgumentError("URL has an unclosed '['");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return InvalidArgumentError("URL has junk after the IPv6 host");
      port_text = after.substr(1);
    }
  } else {
    std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return InvalidArgumentError("URL has no host");
  if (!port_text.empty() || authority.ends_with(":")) {
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || url.port <= 0 ||
        url.port > 65535) {
      return InvalidArgumentError("URL has a bad port");
    }
  }
  std::size_t q = tail.find('?');
  url.path = std::string(tail.substr(0, q));
  if (url.path.empty()) url.path = "/";
  if (q != std::string_view::npos) url.query = std::string(tail.substr(q + 1));
  return url;
}

}  // namespace md::kms::http
