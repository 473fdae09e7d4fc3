#include "api/user_handlers.h"

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/json_response.h"

namespace md::api {
namespace {

constexpr char kLog[] = "api.users";
constexpr std::size_t kMaxNameLength = 190;
constexpr std::size_t kMinPasswordLength = 4;

struct Deps {
  const auth::BasicAndTokenAuthenticator& auth;
  auth::UserStore& users;
  const logging::Logger& logger;
};

Status CheckLength(const std::string& value, std::string_view field) {
  if (value.size() > kMaxNameLength) {
    return InvalidArgumentError(std::string(field) + " is longer than 190 characters");
  }
  return OkStatus();
}

// {name, email, login, password}: login or email (the other defaults to it), password required.
Result<auth::NewUser> ParseNewUser(const nlohmann::json& body) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> email, OptionalString(body, "email"));
  ASSIGN_OR_RETURN(std::optional<std::string> login, OptionalString(body, "login"));
  ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  auth::NewUser user;
  user.login = login.value_or("").empty() ? email.value_or("") : *login;
  user.email = email.value_or("").empty() ? user.login : *email;
  if (user.login.empty()) return InvalidArgumentError("login or email is required");
  if (password.size() < kMinPasswordLength) return InvalidArgumentError("password is too short");
  for (const auto& [value, field] : {std::pair{user.login, "login"}, {user.email, "email"}}) {
    if (Status s = CheckLength(value, field); !s.ok()) return s;
  }
  user.name = name.value_or("");
  user.password = SecretBytes(std::string_view(password));
  CleanseMemory(password.data(), password.size());
  user.role = OrgRole::kViewer;
  return user;
}

void CreateUser(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto user = ParseNewUser(*body);
  if (!user.ok()) return WriteStatusError(res, user.status(), d.logger, kLog);
  auto id = d.users.CreateUser(*user);
  if (!id.ok()) return WriteStatusError(res, id.status(), d.logger, kLog);
  d.logger.Info(kLog, "User created", {{"id", std::to_string(*id)}, {"login", user->login},
                                       {"by", caller.login}});
  WriteJson(res, 200, {{"id", *id}, {"message", "User created"}});
}

void SetPermissions(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto id = PositiveId(req.Param("id"), "id");
  if (!id.ok()) return WriteStatusError(res, id.status(), d.logger, kLog);
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto is_admin = RequiredBool(*body, "isGrafanaAdmin");
  if (!is_admin.ok()) return WriteStatusError(res, is_admin.status(), d.logger, kLog);
  if (*id == caller.user_id && !*is_admin) {
    return WriteError(res, 400, "cannot remove your own server admin permission");
  }
  if (Status s = d.users.SetServerAdmin(*id, *is_admin); !s.ok()) {
    return WriteStatusError(res, s, d.logger, kLog);
  }
  d.logger.Info(kLog, "User permissions updated", {{"id", std::to_string(*id)},
                {"isGrafanaAdmin", *is_admin ? "true" : "false"}, {"by", caller.login}});
  WriteJson(res, 200, {{"message", "User permissions updated"}});
}

void SetOrgRole(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto id = PositiveId(req.Param("id"), "id");
  if (!id.ok()) return WriteStatusError(res, id.status(), d.logger, kLog);
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto name = RequiredString(*body, "role");
  if (!name.ok()) return WriteStatusError(res, name.status(), d.logger, kLog);
  auto role = ParseOrgRole(*name);
  if (!role.ok()) return WriteStatusError(res, role.status(), d.logger, kLog);
  if (Status s = d.users.SetOrgRole(*id, *role); !s.ok()) return WriteStatusError(res, s, d.logger, kLog);
  d.logger.Info(kLog, "Organization user updated", {{"id", std::to_string(*id)}, {"role", *name},
                                                    {"by", caller.login}});
  WriteJson(res, 200, {{"message", "Organization user updated"}});
}

void ChangePassword(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  if (caller.service_account) return WriteError(res, 403, "service accounts have no password");
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto old_password = RequiredString(*body, "oldPassword");
  if (!old_password.ok()) return WriteStatusError(res, old_password.status(), d.logger, kLog);
  auto new_password = RequiredString(*body, "newPassword");
  if (!new_password.ok()) return WriteStatusError(res, new_password.status(), d.logger, kLog);
  if (new_password->size() < kMinPasswordLength) return WriteError(res, 400, "New password is too short");
  auto checked = d.auth.Login(caller.login, SecretBytes(std::string_view(*old_password)), req.http.remote_addr);
  if (!checked.ok()) return WriteError(res, 429, checked.status().message());
  if (!*checked || (*checked)->user_id != caller.user_id) return WriteError(res, 401, "Invalid old password");
  if (Status s = d.users.SetPassword(caller.user_id, SecretBytes(std::string_view(*new_password))); !s.ok()) {
    return WriteStatusError(res, s, d.logger, kLog);
  }
  d.logger.Info(kLog, "User password changed", {{"id", std::to_string(caller.user_id)}});
  WriteJson(res, 200, {{"message", "User password changed"}});
}

void GetCaller(const Deps& d, const Identity& caller, Response& res) {
  auto user = d.users.FindById(caller.user_id);
  if (!user.ok()) return WriteStatusError(res, user.status(), d.logger, kLog);
  if (!*user) return WriteError(res, 404, "user not found");
  const auth::UserRow& u = **user;
  WriteJson(res, 200, {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"login", u.login},
                       {"orgId", caller.org_id}, {"isGrafanaAdmin", u.is_admin}, {"isDisabled", u.is_disabled},
                       {"isServiceAccount", u.is_service_account}, {"role", OrgRoleName(u.role)}});
}

}  // namespace

void RegisterUserRoutes(Router& router, const auth::BasicAndTokenAuthenticator& auth,
                        auth::UserStore& users, const logging::Logger& logger) {
  auto d = std::make_shared<Deps>(Deps{auth, users, logger});
  router.Add("POST", "/api/admin/users", RequireServerAdmin(auth, [d](auto& req, auto& id, auto& res) {
    CreateUser(*d, req, id, res);
  }));
  router.Add("PUT", "/api/admin/users/:id/permissions",
             RequireServerAdmin(auth, [d](auto& req, auto& id, auto& res) { SetPermissions(*d, req, id, res); }));
  router.Add("PATCH", "/api/org/users/:id", RequireRole(auth, OrgRole::kAdmin, [d](auto& req, auto& id, auto& res) {
    SetOrgRole(*d, req, id, res);
  }));
  router.Add("PUT", "/api/user/password",
             RequireSignedIn(auth, [d](auto& req, auto& id, auto& res) { ChangePassword(*d, req, id, res); }));
  router.Add("GET", "/api/user", RequireSignedIn(auth, [d](auto&, auto& id, auto& res) { GetCaller(*d, id, res); }));
}

}  // namespace md::api
