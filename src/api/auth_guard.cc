#include "api/auth_guard.h"

#include "api/json_response.h"

namespace md::api {
namespace {

// Runs the handler when `allowed(identity)`; otherwise answers 401/403/429/500.
Handler Guard(const Authenticator& auth, std::function<bool(const Identity&)> allowed,
              AuthenticatedHandler handler) {
  return [&auth, allowed = std::move(allowed), handler = std::move(handler)](const Request& req, Response& res) {
    auto identity = auth.Authenticate(req.http);
    if (!identity.ok()) {
      bool limited = identity.status().code() == StatusCode::kUnavailable;
      WriteError(res, limited ? 429 : 500, limited ? identity.status().message() : "Authentication failed");
      return;
    }
    if (!*identity) {
      res.set_header("WWW-Authenticate", "Basic realm=\"metrics-dashboard\"");
      WriteError(res, 401, "Unauthorized");
      return;
    }
    if (!allowed(**identity)) {
      WriteError(res, 403, "Permission denied");
      return;
    }
    handler(req, **identity, res);
  };
}

}  // namespace

std::string_view OrgRoleName(OrgRole role) {
  switch (role) {
    case OrgRole::kViewer: return "Viewer";
    case OrgRole::kEditor: return "Editor";
    case OrgRole::kAdmin: return "Admin";
    case OrgRole::kNone: return "None";
  }
  return "None";
}

Result<OrgRole> ParseOrgRole(std::string_view name) {
  for (OrgRole r : {OrgRole::kNone, OrgRole::kViewer, OrgRole::kEditor, OrgRole::kAdmin}) {
    if (OrgRoleName(r) == name) return r;
  }
  return InvalidArgumentError("role must be one of Viewer, Editor, Admin, None");
}

Handler RequireRole(const Authenticator& auth, OrgRole min_role, AuthenticatedHandler handler) {
  return Guard(auth, [min_role](const Identity& id) {
    return id.server_admin || static_cast<int>(id.role) >= static_cast<int>(min_role);
  }, std::move(handler));
}

Handler RequireServerAdmin(const Authenticator& auth, AuthenticatedHandler handler) {
  return Guard(auth, [](const Identity& id) { return id.server_admin && !id.service_account; },
               std::move(handler));
}

Handler RequireSignedIn(const Authenticator& auth, AuthenticatedHandler handler) {
  return Guard(auth, [](const Identity&) { return true; }, std::move(handler));
}

}  // namespace md::api
