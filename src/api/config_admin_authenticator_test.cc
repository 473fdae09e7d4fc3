#include "api/config_admin_authenticator.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace md::api {
namespace {

std::optional<Identity> Auth(const ConfigAdminAuthenticator& auth, const std::string& header) {
  httplib::Request req;
  if (!header.empty()) req.set_header("Authorization", header);
  auto r = auth.Authenticate(req);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::nullopt;
}

std::string Basic(const std::string& pair) { return "Basic " + Base64EncodePadded(AsBytes(pair)); }

TEST(ConfigAdminAuthenticatorTest, AcceptsOnlyTheConfiguredAdminAsServerAdmin) {
  ConfigAdminAuthenticator auth("admin", SecretBytes(std::string_view("s3cret")));
  auto admin = Auth(auth, Basic("admin:s3cret"));
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->server_admin);
  EXPECT_EQ(admin->role, OrgRole::kAdmin);
  EXPECT_EQ(admin->org_id, 1);
  EXPECT_FALSE(Auth(auth, Basic("admin:wrong")).has_value());
  EXPECT_FALSE(Auth(auth, Basic("other:s3cret")).has_value());
  EXPECT_FALSE(Auth(auth, "Bearer abc").has_value());
  EXPECT_FALSE(Auth(auth, "Basic !!!").has_value());
  EXPECT_FALSE(Auth(auth, "").has_value());
}

}  // namespace
}  // namespace md::api
