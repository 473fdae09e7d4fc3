#include "api/auth_guard.h"

#include <gtest/gtest.h>

namespace md::api {
namespace {

// Answers with whatever identity the test sets.
class FixedAuthenticator : public Authenticator {
 public:
  Result<std::optional<Identity>> Authenticate(const httplib::Request&) const override { return identity; }
  Result<std::optional<Identity>> identity = std::optional<Identity>();
};

int Call(const Handler& h) {
  httplib::Request http;
  Request req{http, {}};
  Response res;
  h(req, res);
  return res.status;
}

TEST(AuthGuardTest, AnswersUnauthorizedForbiddenOrRunsTheHandler) {
  FixedAuthenticator auth;
  bool ran = false;
  Handler editor_only = RequireRole(auth, OrgRole::kEditor, [&](const Request&, const Identity&, Response& res) {
    ran = true;
    res.status = 200;
  });
  EXPECT_EQ(Call(editor_only), 401);
  auth.identity = std::optional<Identity>(Identity{2, 1, "viewer", OrgRole::kViewer});
  EXPECT_EQ(Call(editor_only), 403);
  EXPECT_FALSE(ran);
  auth.identity = std::optional<Identity>(Identity{3, 1, "editor", OrgRole::kEditor});
  EXPECT_EQ(Call(editor_only), 200);
  EXPECT_TRUE(ran);
}

TEST(AuthGuardTest, ServerAdminRoutesRefuseOrgAdminsAndServiceAccounts) {
  FixedAuthenticator auth;
  Handler admin_only = RequireServerAdmin(auth, [](const Request&, const Identity&, Response& res) { res.status = 200; });
  auth.identity = std::optional<Identity>(Identity{2, 1, "orgadmin", OrgRole::kAdmin});
  EXPECT_EQ(Call(admin_only), 403);
  Identity token{4, 1, "sa", OrgRole::kAdmin, /*server_admin=*/true, /*service_account=*/true};
  auth.identity = std::optional<Identity>(token);
  EXPECT_EQ(Call(admin_only), 403);
  auth.identity = std::optional<Identity>(Identity{1, 1, "admin", OrgRole::kAdmin, true});
  EXPECT_EQ(Call(admin_only), 200);
}

TEST(AuthGuardTest, RateLimitIs429AndBackendFailureIs500) {
  FixedAuthenticator auth;
  Handler h = RequireSignedIn(auth, [](const Request&, const Identity&, Response& res) { res.status = 200; });
  auth.identity = UnavailableError("too many failed logins; try again in 60s");
  EXPECT_EQ(Call(h), 429);
  auth.identity = InternalError("database down");
  EXPECT_EQ(Call(h), 500);
}

TEST(OrgRoleTest, ParsesGrafanaRoleNames) {
  EXPECT_EQ(*ParseOrgRole("Editor"), OrgRole::kEditor);
  EXPECT_FALSE(ParseOrgRole("editor").ok());
}

}  // namespace
}  // namespace md::api
