#include "auth/basic_and_token_authenticator.h"

#include <gtest/gtest.h>

#include "auth/admin_bootstrap.h"
#include "auth/service_token.h"
#include "common/encoding.h"
#include "store/testing/test_database.h"

namespace md::auth {
namespace {

class AuthenticatorTest : public store::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    users_ = std::make_unique<UserStore>(db());
    auth_ = std::make_unique<BasicAndTokenAuthenticator>(*users_, limiter_, [this] { return now_; });
  }

  int64_t AddUser(const std::string& login, api::OrgRole role, bool admin = false) {
    NewUser u{login, login + "@example.com", login, SecretBytes(std::string_view("pw-" + login)), admin, false, role};
    auto id = users_->CreateUser(u);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  Result<std::optional<api::Identity>> WithHeader(const std::string& value, const std::string& addr = "1.2.3.4") {
    httplib::Request req;
    req.remote_addr = addr;
    req.headers.emplace("Authorization", value);
    return auth_->Authenticate(req);
  }
  Result<std::optional<api::Identity>> Basic(const std::string& user, const std::string& pw,
                                             const std::string& addr = "1.2.3.4") {
    return WithHeader("Basic " + Base64EncodePadded(AsBytes(user + ":" + pw)), addr);
  }
  std::string NewToken(int64_t sa, const std::string& name, std::optional<int64_t> expires) {
    std::string token = NewServiceToken()->InsecureString();
    EXPECT_TRUE(users_->CreateToken(sa, name, TokenHash(token), api::OrgRole::kEditor, expires).ok());
    return token;
  }

  int64_t now_ = 1700000000;
  LoginRateLimiter limiter_{LoginRateLimiter::Options{}};
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<BasicAndTokenAuthenticator> auth_;
};

TEST_P(AuthenticatorTest, BasicAuthByLoginOrEmailWithRoleAndAdminFlag) {
  AddUser("ed", api::OrgRole::kEditor);
  auto by_login = Basic("ed", "pw-ed");
  ASSERT_TRUE(by_login.ok() && by_login->has_value());
  EXPECT_EQ((*by_login)->role, api::OrgRole::kEditor);
  EXPECT_FALSE((*by_login)->server_admin);
  auto by_email = Basic("ed@example.com", "pw-ed");
  ASSERT_TRUE(by_email.ok() && by_email->has_value());
  EXPECT_EQ((*by_email)->login, "ed");
  auto wrong = Basic("ed", "nope");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->has_value());
  EXPECT_FALSE(WithHeader("Basic !!!notbase64")->has_value());
  EXPECT_FALSE(WithHeader("Digest abc")->has_value());
}

TEST_P(AuthenticatorTest, FirstAdminIsCreatedOnceFromSettings) {
  config::SecuritySettings security;
  security.admin_user = "root";
  security.admin_password = SecretBytes(std::string_view("changeme"));
  EXPECT_TRUE(*EnsureFirstAdmin(*users_, security));
  EXPECT_FALSE(*EnsureFirstAdmin(*users_, security));
  auto id = Basic("root", "changeme");
  ASSERT_TRUE(id.ok() && id->has_value());
  EXPECT_TRUE((*id)->server_admin);
  EXPECT_EQ((*id)->role, api::OrgRole::kAdmin);
}

TEST_P(AuthenticatorTest, RepeatedFailuresAreRateLimitedEvenForTheRightPassword) {
  AddUser("vi", api::OrgRole::kViewer);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Basic("vi", "bad")->has_value());
  auto limited = Basic("vi", "pw-vi", "5.6.7.8");
  EXPECT_EQ(limited.status().code(), StatusCode::kUnavailable);
}

TEST_P(AuthenticatorTest, DuplicateLoginOrEmailIsAlreadyExists) {
  AddUser("dup", api::OrgRole::kViewer);
  NewUser again{"dup", "other@example.com", "", SecretBytes(std::string_view("x")), false, false, api::OrgRole::kViewer};
  EXPECT_EQ(users_->CreateUser(again).status().code(), StatusCode::kAlreadyExists);
  NewUser same_email{"other", "dup@example.com", "", SecretBytes(std::string_view("x")), false, false,
                     api::OrgRole::kViewer};
  EXPECT_EQ(users_->CreateUser(same_email).status().code(), StatusCode::kAlreadyExists);
}

TEST_P(AuthenticatorTest, RoleAdminAndPasswordChangesApply) {
  int64_t id = AddUser("vi", api::OrgRole::kViewer);
  ASSERT_TRUE(users_->SetOrgRole(id, api::OrgRole::kAdmin).ok());
  ASSERT_TRUE(users_->SetServerAdmin(id, true).ok());
  ASSERT_TRUE(users_->SetPassword(id, SecretBytes(std::string_view("new-pw"))).ok());
  EXPECT_FALSE(Basic("vi", "pw-vi")->has_value());
  auto who = Basic("vi", "new-pw");
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ((*who)->role, api::OrgRole::kAdmin);
  EXPECT_TRUE((*who)->server_admin);
  EXPECT_EQ(users_->SetOrgRole(999, api::OrgRole::kEditor).code(), StatusCode::kNotFound);
  EXPECT_EQ(users_->SetServerAdmin(999, true).code(), StatusCode::kNotFound);
}

TEST_P(AuthenticatorTest, TokensSignInTheServiceAccountUntilExpiredOrRevoked) {
  NewUser sa{"sa-bot", "sa-bot", "bot", SecretBytes(), false, true, api::OrgRole::kEditor};
  int64_t sa_id = *users_->CreateUser(sa);
  std::string token = NewToken(sa_id, "t1", std::nullopt);
  auto who = WithHeader("Bearer " + token);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_TRUE((*who)->service_account);
  EXPECT_EQ((*who)->role, api::OrgRole::kEditor);
  EXPECT_EQ((*who)->user_id, sa_id);
  EXPECT_FALSE(Basic("sa-bot", "")->has_value());  // service accounts have no password login

  std::string expiring = NewToken(sa_id, "t2", now_ + 60);
  EXPECT_TRUE(WithHeader("Bearer " + expiring)->has_value());
  now_ += 60;
  EXPECT_FALSE(WithHeader("Bearer " + expiring)->has_value());

  std::string revoked = NewToken(sa_id, "t3", std::nullopt);
  auto session = db().Lease();
  *session << "UPDATE api_key SET is_revoked = " + db().BoolLiteral(true) + " WHERE name = 't3'";
  EXPECT_FALSE(WithHeader("Bearer " + revoked)->has_value());

  auto row = users_->FindToken(TokenHash(token));
  ASSERT_TRUE(row.ok() && row->has_value());
  ASSERT_TRUE(users_->DeleteToken(sa_id, (*row)->id).ok());
  EXPECT_FALSE(WithHeader("Bearer " + token)->has_value());
  EXPECT_EQ(users_->DeleteToken(sa_id, (*row)->id).code(), StatusCode::kNotFound);
  EXPECT_FALSE(WithHeader("Bearer glsa_notatoken")->has_value());
}

TEST_P(AuthenticatorTest, TheStoredKeyIsTheHashNeverTheToken) {
  NewUser sa{"sa-x", "sa-x", "x", SecretBytes(), false, true, api::OrgRole::kViewer};
  std::string token = NewToken(*users_->CreateUser(sa), "t", std::nullopt);
  std::string stored;
  auto session = db().Lease();
  *session << "SELECT " + db().Quote("key") + " FROM api_key WHERE name = 't'", soci::into(stored);
  EXPECT_EQ(stored, TokenHash(token));
  EXPECT_EQ(stored.find(token.substr(5, 32)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AllDialects, AuthenticatorTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::auth
