#include "api/service_account_handlers.h"

#include <ctime>

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "auth/service_token.h"

namespace md::api {
namespace {

constexpr char kLog[] = "api.serviceaccounts";
constexpr std::size_t kMaxNameLength = 180;

struct Deps {
  auth::UserStore& users;
  const logging::Logger& logger;
  std::function<int64_t()> now;
};

// Grafana's login for a service account: "sa-" + the name, lower-cased, other characters as '-'.
std::string ServiceAccountLogin(std::string_view name) {
  std::string login = "sa-";
  for (char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    login += keep ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
  }
  return login;
}

Result<auth::NewUser> ParseServiceAccount(const nlohmann::json& body) {
  ASSIGN_OR_RETURN(std::string name, RequiredString(body, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> role_name, OptionalString(body, "role"));
  if (name.size() > kMaxNameLength) return InvalidArgumentError("name is longer than 180 characters");
  auth::NewUser account;
  account.name = name;
  account.login = ServiceAccountLogin(name);
  account.email = account.login;
  account.service_account = true;
  account.role = OrgRole::kViewer;
  if (role_name) {
    ASSIGN_OR_RETURN(account.role, ParseOrgRole(*role_name));
  }
  return account;
}

void CreateAccount(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto account = ParseServiceAccount(*body);
  if (!account.ok()) return WriteStatusError(res, account.status(), d.logger, kLog);
  auto id = d.users.CreateUser(*account);
  if (id.status().code() == StatusCode::kAlreadyExists) {
    return WriteError(res, 409, "a service account with that name already exists");
  }
  if (!id.ok()) return WriteStatusError(res, id.status(), d.logger, kLog);
  d.logger.Info(kLog, "Service account created", {{"id", std::to_string(*id)}, {"login", account->login},
                                                  {"by", caller.login}});
  WriteJson(res, 201, {{"id", *id}, {"name", account->name}, {"login", account->login}, {"orgId", 1},
                       {"isDisabled", false}, {"role", OrgRoleName(account->role)}, {"tokens", 0}});
}

// The service account named by :id, or NotFound.
Result<auth::UserRow> FindAccount(const Deps& d, const Request& req) {
  ASSIGN_OR_RETURN(int64_t id, PositiveId(req.Param("id"), "id"));
  ASSIGN_OR_RETURN(std::optional<auth::UserRow> row, d.users.FindById(id));
  if (!row || !row->is_service_account) return NotFoundError("service account not found");
  return *row;
}

// secondsToLive: absent or 0 = never expires.
Result<std::optional<int64_t>> ParseExpiry(const Deps& d, const nlohmann::json& body) {
  ASSIGN_OR_RETURN(std::optional<int64_t> ttl, OptionalInteger(body, "secondsToLive"));
  if (ttl && *ttl < 0) return InvalidArgumentError("secondsToLive must not be negative");
  if (!ttl || *ttl == 0) return std::optional<int64_t>();
  if (*ttl > int64_t{100} * 365 * 24 * 3600) return InvalidArgumentError("secondsToLive is too large");
  return std::optional<int64_t>(d.now() + *ttl);
}

void CreateToken(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto account = FindAccount(d, req);
  if (!account.ok()) return WriteStatusError(res, account.status(), d.logger, kLog);
  auto body = ParseJsonObject(req.http.body);
  if (!body.ok()) return WriteStatusError(res, body.status(), d.logger, kLog);
  auto name = RequiredString(*body, "name");
  if (!name.ok()) return WriteStatusError(res, name.status(), d.logger, kLog);
  if (name->size() > kMaxNameLength) return WriteError(res, 400, "name is longer than 180 characters");
  auto expires = ParseExpiry(d, *body);
  if (!expires.ok()) return WriteStatusError(res, expires.status(), d.logger, kLog);
  auto token = auth::NewServiceToken();
  if (!token.ok()) return WriteStatusError(res, token.status(), d.logger, kLog);
  const std::string hash = auth::TokenHash(AsString(token->view()));
  auto id = d.users.CreateToken(account->id, *name, hash, account->role, *expires);
  if (!id.ok()) return WriteStatusError(res, id.status(), d.logger, kLog);
  d.logger.Info(kLog, "Service account token created", {{"id", std::to_string(*id)},
                {"serviceAccountId", std::to_string(account->id)}, {"by", caller.login}});
  WriteJson(res, 200, {{"id", *id}, {"name", *name}, {"key", AsString(token->view())}});
}

void DeleteToken(const Deps& d, const Request& req, const Identity& caller, Response& res) {
  auto account = FindAccount(d, req);
  if (!account.ok()) return WriteStatusError(res, account.status(), d.logger, kLog);
  auto token_id = PositiveId(req.Param("tokenId"), "tokenId");
  if (!token_id.ok()) return WriteStatusError(res, token_id.status(), d.logger, kLog);
  if (Status s = d.users.DeleteToken(account->id, *token_id); !s.ok()) {
    return WriteStatusError(res, s, d.logger, kLog);
  }
  d.logger.Info(kLog, "Service account token deleted", {{"id", std::to_string(*token_id)}, {"by", caller.login}});
  WriteJson(res, 200, {{"message", "Service account token deleted"}});
}

}  // namespace

void RegisterServiceAccountRoutes(Router& router, const Authenticator& auth, auth::UserStore& users,
                                  const logging::Logger& logger, std::function<int64_t()> unix_now) {
  if (!unix_now) unix_now = [] { return static_cast<int64_t>(std::time(nullptr)); };
  auto d = std::make_shared<Deps>(Deps{users, logger, std::move(unix_now)});
  router.Add("POST", "/api/serviceaccounts", RequireRole(auth, OrgRole::kAdmin, [d](auto& req, auto& id, auto& res) {
    CreateAccount(*d, req, id, res);
  }));
  router.Add("POST", "/api/serviceaccounts/:id/tokens",
             RequireRole(auth, OrgRole::kAdmin, [d](auto& req, auto& id, auto& res) { CreateToken(*d, req, id, res); }));
  router.Add("DELETE", "/api/serviceaccounts/:id/tokens/:tokenId",
             RequireRole(auth, OrgRole::kAdmin, [d](auto& req, auto& id, auto& res) { DeleteToken(*d, req, id, res); }));
}

}  // namespace md::api
