// UserStore: Grafana's user, org_user and api_key rows (docs/schema.md) for the authenticator
// and the user API. Everything is in the main org (id 1). Passwords are stored only as
// HashPassword(password, salt); tokens only as TokenHash(token). Thread-safe (the Database is).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/auth_guard.h"
#include "common/secret_bytes.h"
#include "common/status.h"
#include "store/database.h"

namespace md::auth {

inline constexpr int64_t kMainOrgId = 1;

struct UserRow {
  int64_t id = 0;
  std::string login, email, name;
  std::string password_hash, salt;  // never leave the auth layer
  bool is_admin = false;
  bool is_disabled = false;
  bool is_service_account = false;
  api::OrgRole role = api::OrgRole::kNone;  // in org 1; kNone when not a member
};

struct NewUser {
  std::string login, email, name;
  SecretBytes password;  // empty for service accounts (they cannot log in with a password)
  bool is_admin = false;
  bool service_account = false;
  api::OrgRole role = api::OrgRole::kViewer;
};

struct TokenRow {
  int64_t id = 0;
  int64_t service_account_id = 0;
  std::optional<int64_t> expires;  // Unix seconds; nullopt = never
  bool revoked = false;
};

class UserStore {
 public:
  explicit UserStore(store::Database& db) : db_(db) {}

  // A user by login or by email (Grafana's rule for Basic auth); nullopt when none.
  Result<std::optional<UserRow>> FindByLoginOrEmail(std::string_view login_or_email);
  Result<std::optional<UserRow>> FindById(int64_t id);
  Result<int64_t> CountUsers();

  // Inserts the user and its org_user row in one transaction; returns the id.
  // AlreadyExists "a user with that login or email already exists".
  Result<int64_t> CreateUser(const NewUser& user);
  // NotFound "user not found" for an unknown id (or, for SetOrgRole, a user outside org 1).
  Status SetServerAdmin(int64_t user_id, bool is_admin);
  Status SetOrgRole(int64_t user_id, api::OrgRole role);
  Status SetPassword(int64_t user_id, const SecretBytes& password);

  // A token for a service account; AlreadyExists when the account has a token of that name.
  Result<int64_t> CreateToken(int64_t service_account_id, std::string_view name,
                              std::string_view token_hash, api::OrgRole role,
                              std::optional<int64_t> expires);
  Result<std::optional<TokenRow>> FindToken(std::string_view token_hash);
  // NotFound when the account has no such token.
  Status DeleteToken(int64_t service_account_id, int64_t token_id);

 private:
  Result<std::optional<UserRow>> FindWhere(std::string_view where, std::string_view param);
  Status InsertUser(soci::session& session, const NewUser& user, int64_t& id);
  // Runs `update` in a transaction after checking that the user exists (MySQL reports 0
  // affected rows for an update that changes nothing, so the count cannot tell).
  Status UpdateExisting(int64_t user_id, std::string_view what,
                        const std::function<void(soci::session&)>& update);

  store::Database& db_;
};

}  // namespace md::auth
