#include "exe/server_auth.h"

#include "auth/admin_bootstrap.h"

namespace md::exe {

Result<ServerAuth> BuildServerAuth(const config::Settings& settings, store::Database& db,
                                   const logging::Logger& logger) {
  ServerAuth out;
  out.users = std::make_unique<auth::UserStore>(db);
  ASSIGN_OR_RETURN(bool created, auth::EnsureFirstAdmin(*out.users, settings.security));
  if (created) {
    logger.Info("server", "Created the first server admin from [security] admin_user",
                {{"login", settings.security.admin_user}});
  }
  out.limiter = std::make_unique<auth::LoginRateLimiter>(auth::LoginRateLimiter::Options{});
  out.authenticator = std::make_unique<auth::BasicAndTokenAuthenticator>(*out.users, *out.limiter);
  return out;
}

}  // namespace md::exe
