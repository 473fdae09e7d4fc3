#include "auth/user_store.h"

#include "auth/password_hash.h"
#include "crypto/secure_random.h"

namespace md::auth {
namespace {

std::string RandomText(std::size_t n) {
  std::string s(n, '0');
  Status st = crypto::RandomAlphanumeric(std::span<uint8_t>(reinterpret_cast<uint8_t*>(s.data()), n));
  return st.ok() ? s : std::string();
}

api::OrgRole RoleOrNone(const std::string& name) {
  auto role = api::ParseOrgRole(name);
  return role.ok() ? *role : api::OrgRole::kNone;
}

}  // namespace

Result<std::optional<UserRow>> UserStore::FindWhere(std::string_view where, std::string_view param) {
  const std::string sql =
      "SELECT u.id, u.login, u.email, COALESCE(u.name, ''), COALESCE(u.password, ''), "
      "COALESCE(u.salt, ''), CASE WHEN u.is_admin THEN 1 ELSE 0 END, "
      "CASE WHEN u.is_disabled THEN 1 ELSE 0 END, CASE WHEN u.is_service_account THEN 1 ELSE 0 END, "
      "COALESCE(ou.role, '') FROM " + db_.Quote("user") + " u LEFT JOIN org_user ou ON ou.user_id = u.id "
      "AND ou.org_id = 1 WHERE " + std::string(where);
  UserRow row;
  long long id = 0;
  int admin = 0, disabled = 0, service = 0;
  std::string role, p(param);
  try {
    auto session = db_.Lease();
    *session << sql, soci::use(p), soci::into(id), soci::into(row.login), soci::into(row.email),
        soci::into(row.name), soci::into(row.password_hash), soci::into(row.salt), soci::into(admin),
        soci::into(disabled), soci::into(service), soci::into(role);
    if (!session->got_data()) return std::optional<UserRow>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading user");
  }
  row.id = id;
  row.is_admin = admin != 0;
  row.is_disabled = disabled != 0;
  row.is_service_account = service != 0;
  row.role = RoleOrNone(role);
  return std::optional<UserRow>(std::move(row));
}

Result<std::optional<UserRow>> UserStore::FindByLoginOrEmail(std::string_view login_or_email) {
  auto by_login = FindWhere("u.login = :p", login_or_email);
  if (!by_login.ok() || by_login->has_value()) return by_login;
  return FindWhere("u.email = :p", login_or_email);
}

Result<std::optional<UserRow>> UserStore::FindById(int64_t id) {
  return FindWhere("u.id = :p", std::to_string(id));
}

Result<int64_t> UserStore::CountUsers() {
  long long n = 0;
  try {
    auto session = db_.Lease();
    *session << "SELECT count(*) FROM " + db_.Quote("user"), soci::into(n);
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "counting users");
  }
  return static_cast<int64_t>(n);
}

Status UserStore::InsertUser(soci::session& session, const NewUser& user, int64_t& id) {
  std::string salt, hash;
  if (!user.password.empty()) {
    ASSIGN_OR_RETURN(salt, NewSalt());
    ASSIGN_OR_RETURN(hash, HashPassword(user.password, salt));
  }
  const std::string now = db_.NowLiteral();
  std::string rands = RandomText(10), uid = RandomText(14);
  session << "INSERT INTO " + db_.Quote("user") +
                 " (version, login, email, name, password, salt, rands, org_id, is_admin, "
                 "email_verified, created, updated, is_disabled, is_service_account, uid) VALUES "
                 "(0, :login, :email, :name, :password, :salt, :rands, 1, " + db_.BoolLiteral(user.is_admin) +
                 ", " + db_.BoolLiteral(false) + ", " + now + ", " + now + ", " + db_.BoolLiteral(false) +
                 ", " + db_.BoolLiteral(user.service_account) + ", :uid)",
      soci::use(user.login), soci::use(user.email), soci::use(user.name), soci::use(hash), soci::use(salt),
      soci::use(rands), soci::use(uid);
  long long new_id = 0;
  session << "SELECT id FROM " + db_.Quote("user") + " WHERE login = :login", soci::use(user.login),
      soci::into(new_id);
  id = new_id;
  std::string role(api::OrgRoleName(user.role));
  session << "INSERT INTO org_user (org_id, user_id, role, created, updated) VALUES (1, :u, :r, " + now +
                 ", " + now + ")",
      soci::use(new_id), soci::use(role);
  return OkStatus();
}

Result<int64_t> UserStore::CreateUser(const NewUser& user) {
  int64_t id = 0;
  Status s = db_.InTransaction(
      [&](soci::session& session) {
        long long taken = 0;
        session << "SELECT count(*) FROM " + db_.Quote("user") + " WHERE login = :l OR email = :e",
            soci::use(user.login), soci::use(user.email), soci::into(taken);
        if (taken > 0) return AlreadyExistsError("a user with that login or email already exists");
        return InsertUser(session, user, id);
      },
      /*write_lock=*/true);
  if (s.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("a user with that login or email already exists");
  }
  if (!s.ok()) return s;
  return id;
}

Status UserStore::UpdateExisting(int64_t user_id, std::string_view what,
                                 const std::function<void(soci::session&)>& update) {
  long long id = user_id;
  return db_.InTransaction(
      [&](soci::session& session) {
        long long found = 0;
        session << std::string("SELECT count(*) FROM ") + std::string(what) + " WHERE " +
                       (what == "org_user" ? "user_id = :id AND org_id = 1" : "id = :id"),
            soci::use(id), soci::into(found);
        if (found == 0) return NotFoundError("user not found");
        update(session);
        return OkStatus();
      },
      /*write_lock=*/true);
}

Status UserStore::SetServerAdmin(int64_t user_id, bool is_admin) {
  long long id = user_id;
  return UpdateExisting(user_id, db_.Quote("user"), [&](soci::session& session) {
    session << "UPDATE " + db_.Quote("user") + " SET is_admin = " + db_.BoolLiteral(is_admin) +
                   ", updated = " + db_.NowLiteral() + " WHERE id = :id",
        soci::use(id);
  });
}

Status UserStore::SetOrgRole(int64_t user_id, api::OrgRole role) {
  long long id = user_id;
  std::string name(api::OrgRoleName(role));
  return UpdateExisting(user_id, "org_user", [&](soci::session& session) {
    session << "UPDATE org_user SET role = :r, updated = " + db_.NowLiteral() +
                   " WHERE user_id = :id AND org_id = 1",
        soci::use(name), soci::use(id);
  });
}

Status UserStore::SetPassword(int64_t user_id, const SecretBytes& password) {
  ASSIGN_OR_RETURN(std::string salt, NewSalt());
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, salt));
  long long id = user_id;
  return UpdateExisting(user_id, db_.Quote("user"), [&](soci::session& session) {
    session << "UPDATE " + db_.Quote("user") + " SET password = :h, salt = :s, updated = " +
                   db_.NowLiteral() + " WHERE id = :id",
        soci::use(hash), soci::use(salt), soci::use(id);
  });
}

}  // namespace md::auth
