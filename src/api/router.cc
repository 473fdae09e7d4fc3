#include "api/router.h"

namespace md::api {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    const size_t slash = std::min(path.find('/', pos), path.size());
    if (slash > pos) {
      segments.emplace_back(path.substr(pos, slash - pos));
    }
    pos = slash + 1;
  }
  return segments;
}

bool MatchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   PathParams& params) {
  if (pattern.size() != path.size()) {
    return false;
  }
  PathParams found;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].starts_with(':')) {
      found.emplace(pattern[i].substr(1), path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

std::string_view Request::Param(std::string_view name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

void Router::Add(std::string method, std::string_view pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), Split(pattern), std::string(pattern), std::move(handler)});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const std::vector<std::string> segments = Split(path);
  Match match;
  for (const Route& route : routes_) {
    PathParams params;
    if (!MatchSegments(route.segments, segments, params)) {
      continue;
    }
    if (route.method == wanted) {
      match.outcome = Outcome::kFound;
      match.handler = &route.handler;
      match.pattern = route.pattern;
      match.params = std::move(params);
      match.allowed.clear();
      return match;
    }
    match.outcome = Outcome::kMethodNotAllowed;
    match.allowed.push_back(route.method);
  }
  return match;
}

}  // namespace md::api
