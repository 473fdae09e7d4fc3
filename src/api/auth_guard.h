// Who is calling, and the wrappers that keep routes to the roles allowed to use them
// (Grafana's rules: Viewers read, Editors and Admins write, /api/admin/* needs a server admin;
// 401 when not signed in, 403 "Permission denied" when signed in without the right).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api/router.h"
#include "common/status.h"

namespace md::api {

enum class OrgRole { kNone = 0, kViewer = 1, kEditor = 2, kAdmin = 3 };

// "Viewer" | "Editor" | "Admin" | "None"; ParseOrgRole is InvalidArgument for anything else.
std::string_view OrgRoleName(OrgRole role);
Result<OrgRole> ParseOrgRole(std::string_view name);

struct Identity {
  int64_t user_id = 0;  // the service account's user id for tokens
  int64_t org_id = 1;
  std::string login;
  OrgRole role = OrgRole::kNone;
  bool server_admin = false;
  bool service_account = false;
};

// Authenticates a request from its Authorization header (Basic or Bearer). Thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt: not signed in (no or bad credentials) -> 401. An error: the check itself failed
  // (database down) -> 500, or a login rate limit -> 429 (Unavailable).
  virtual Result<std::optional<Identity>> Authenticate(const httplib::Request& request) const = 0;
};

using AuthenticatedHandler = std::function<void(const Request&, const Identity&, Response&)>;

// 401 / 403 / the handler. `min_role` is compared with the caller's org role; a server admin
// passes every org-role check too (as in Grafana for the main org).
Handler RequireRole(const Authenticator& auth, OrgRole min_role, AuthenticatedHandler handler);
// Only server admins (403 for everyone else, including service accounts).
Handler RequireServerAdmin(const Authenticator& auth, AuthenticatedHandler handler);
// Any signed-in caller.
Handler RequireSignedIn(const Authenticator& auth, AuthenticatedHandler handler);

}  // namespace md::api
