// The server's users and authentication: the user store, the login rate limiter, the
// Basic/Bearer authenticator, and the first server admin created on first start.
#pragma once

#include <memory>

#include "auth/basic_and_token_authenticator.h"
#include "auth/login_rate_limiter.h"
#include "auth/user_store.h"
#include "config/settings.h"
#include "logging/logger.h"
#include "store/database.h"

namespace md::exe {

struct ServerAuth {
  std::unique_ptr<auth::UserStore> users;
  std::unique_ptr<auth::LoginRateLimiter> limiter;
  std::unique_ptr<auth::BasicAndTokenAuthenticator> authenticator;
};

// Creates [security] admin_user when the user table is empty. Errors are the database's.
Result<ServerAuth> BuildServerAuth(const config::Settings& settings, store::Database& db,
                                   const logging::Logger& logger);

}  // namespace md::exe
