// Router: the table of HTTP routes. Patterns are literal segments and ":name" parameters,
//   router.Add("GET", "/api/datasources/uid/:uid", handler);   // req.Param("uid")
// A path that matches a pattern under another method gives 405, no match at all gives 404
// (HttpServer turns both into JSON errors). Build it before the server starts; not thread-safe to
// modify while serving.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace md::api {

using PathParams = std::map<std::string, std::string, std::less<>>;

struct Request {
  const httplib::Request& http;
  PathParams params;

  // The value of a ":name" path segment, or "" when the route has none.
  std::string_view Param(std::string_view name) const;
};

using Response = httplib::Response;
using Handler = std::function<void(const Request&, Response&)>;

class Router {
 public:
  // method: GET, POST, PUT, PATCH, DELETE. HEAD is answered by the GET route.
  void Add(std::string method, std::string_view pattern, Handler handler);

  enum class Outcome { kFound, kMethodNotAllowed, kNotFound };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;  // set when kFound
    std::string pattern;               // set when kFound: "/api/datasources/uid/:uid"
    PathParams params;
    std::vector<std::string> allowed;  // set when kMethodNotAllowed
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // ":name" for a parameter
    std::string pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace md::api
