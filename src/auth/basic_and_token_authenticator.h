// BasicAndTokenAuthenticator: the server's api::Authenticator.
//   Authorization: Basic base64(login-or-email:password)  -> a user (not a service account)
//   Authorization: Bearer glsa_...                        -> a service account's token
// Failed Basic logins are rate-limited per login and per client address (LoginRateLimiter):
// once limited, even a correct password gets Unavailable (-> 429) until the window passes.
// Disabled users, expired and revoked tokens are not signed in. Thread-safe.
#pragma once

#include <chrono>
#include <functional>

#include "api/auth_guard.h"
#include "auth/login_rate_limiter.h"
#include "auth/user_store.h"

namespace md::auth {

class BasicAndTokenAuthenticator : public api::Authenticator {
 public:
  using WallClock = std::function<int64_t()>;  // Unix seconds, for token expiry

  BasicAndTokenAuthenticator(UserStore& users, LoginRateLimiter& limiter, WallClock now = nullptr);

  Result<std::optional<api::Identity>> Authenticate(const httplib::Request& request) const override;

  // The Basic-auth check alone (also used by PUT /api/user/password for the old password).
  Result<std::optional<api::Identity>> Login(std::string_view login, const SecretBytes& password,
                                             std::string_view address) const;

 private:
  Result<std::optional<api::Identity>> Basic(std::string_view credentials, std::string_view address) const;
  Result<std::optional<api::Identity>> Bearer(std::string_view token) const;

  UserStore& users_;
  LoginRateLimiter& limiter_;
  WallClock now_;
};

// The identity of a user row (role from org_user in org 1, server admin from user.is_admin).
api::Identity IdentityOf(const UserRow& user);

}  // namespace md::auth
