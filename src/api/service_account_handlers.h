// Grafana's service-account API (main org, org admins):
//   POST   /api/serviceaccounts                      {name, role?}  -> 201 the account
//   POST   /api/serviceaccounts/:id/tokens           {name, secondsToLive?} -> {id, name, key}
//   DELETE /api/serviceaccounts/:id/tokens/:tokenId  revokes (deletes) a token
// The token ("key") appears once, in the creation response; only its SHA-256 is stored.
#pragma once

#include "api/auth_guard.h"
#include "api/router.h"
#include "auth/user_store.h"
#include "logging/logger.h"

namespace md::api {

// REQUIRES: every argument outlives the router.
void RegisterServiceAccountRoutes(Router& router, const Authenticator& auth, auth::UserStore& users,
                                  const logging::Logger& logger, std::function<int64_t()> unix_now = nullptr);

}  // namespace md::api
