// Grafana's user API (main org only):
//   POST /api/admin/users                   {name, email, login, password}   server admin
//   PUT  /api/admin/users/:id/permissions   {"isGrafanaAdmin": bool}         server admin
//   PATCH /api/org/users/:id                {"role": "Viewer|Editor|Admin"}  org admin
//   PUT  /api/user/password                 {oldPassword, newPassword}       the caller
//   GET  /api/user                          the caller
// Writes run in one transaction each; passwords never appear in a response or a log line.
#pragma once

#include "api/auth_guard.h"
#include "api/router.h"
#include "auth/basic_and_token_authenticator.h"
#include "auth/user_store.h"
#include "logging/logger.h"

namespace md::api {

// REQUIRES: every argument outlives the router.
void RegisterUserRoutes(Router& router, const auth::BasicAndTokenAuthenticator& auth,
                        auth::UserStore& users, const logging::Logger& logger);

}  // namespace md::api
