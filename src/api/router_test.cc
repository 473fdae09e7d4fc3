#include "api/router.h"

#include <gtest/gtest.h>

namespace md::api {
namespace {

Handler Named(std::string* called, std::string name) {
  return [called, name](const Request&, Response&) { *called = name; };
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  std::string called;
  Router router;
  router.Add("GET", "/api/datasources", Named(&called, "list"));
  router.Add("GET", "/api/datasources/uid/:uid", Named(&called, "by-uid"));
  Router::Match match = router.Find("GET", "/api/datasources/uid/abc");
  ASSERT_EQ(match.outcome, Router::Outcome::kFound);
  EXPECT_EQ(match.params.at("uid"), "abc");
  httplib::Request http;
  Response res;
  (*match.handler)(Request{http, match.params}, res);
  EXPECT_EQ(called, "by-uid");
  EXPECT_EQ(router.Find("GET", "/api/datasources/").outcome, Router::Outcome::kFound);
}

TEST(RouterTest, DistinguishesNotFoundFromMethodNotAllowed) {
  std::string called;
  Router router;
  router.Add("GET", "/api/health", Named(&called, "health"));
  router.Add("DELETE", "/api/health", Named(&called, "delete"));
  EXPECT_EQ(router.Find("GET", "/api/nope").outcome, Router::Outcome::kNotFound);
  const Router::Match match = router.Find("POST", "/api/health");
  EXPECT_EQ(match.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"GET", "DELETE"}));
}

TEST(RouterTest, HeadUsesGetRoute) {
  std::string called;
  Router router;
  router.Add("GET", "/api/health", Named(&called, "health"));
  EXPECT_EQ(router.Find("HEAD", "/api/health").outcome, Router::Outcome::kFound);
}

TEST(RequestTest, MissingParamIsEmpty) {
  httplib::Request http;
  const Request req{http, {{"id", "7"}}};
  EXPECT_EQ(req.Param("id"), "7");
  EXPECT_EQ(req.Param("uid"), "");
}

}  // namespace
}  // namespace md::api
