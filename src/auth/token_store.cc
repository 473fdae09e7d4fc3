// UserStore's api_key half: service-account tokens, stored as TokenHash(token) only.
#include "auth/user_store.h"

namespace md::auth {

Result<int64_t> UserStore::CreateToken(int64_t service_account_id, std::string_view name,
                                       std::string_view token_hash, api::OrgRole role,
                                       std::optional<int64_t> expires) {
  long long sa = service_account_id, exp = expires.value_or(0), id = 0;
  soci::indicator exp_ind = expires ? soci::i_ok : soci::i_null;
  std::string n(name), hash(token_hash), r(api::OrgRoleName(role));
  const std::string now = db_.NowLiteral();
  Status s = db_.InTransaction(
      [&](soci::session& session) {
        long long taken = 0;
        session << "SELECT count(*) FROM api_key WHERE org_id = 1 AND name = :n", soci::use(n),
            soci::into(taken);
        if (taken > 0) return AlreadyExistsError("a token with that name already exists");
        session << "INSERT INTO api_key (org_id, name, " + db_.Quote("key") +
                       ", role, created, updated, expires, service_account_id, is_revoked) VALUES "
                       "(1, :n, :k, :r, " + now + ", " + now + ", :e, :sa, " + db_.BoolLiteral(false) + ")",
            soci::use(n), soci::use(hash), soci::use(r), soci::use(exp, exp_ind), soci::use(sa);
        session << "SELECT id FROM api_key WHERE " + db_.Quote("key") + " = :k", soci::use(hash),
            soci::into(id);
        return OkStatus();
      },
      /*write_lock=*/true);
  if (s.code() == StatusCode::kAlreadyExists) return AlreadyExistsError("a token with that name already exists");
  if (!s.ok()) return s;
  return static_cast<int64_t>(id);
}

Result<std::optional<TokenRow>> UserStore::FindToken(std::string_view token_hash) {
  TokenRow row;
  long long id = 0, sa = 0, exp = 0;
  int revoked = 0;
  soci::indicator sa_ind = soci::i_ok, exp_ind = soci::i_ok;
  std::string hash(token_hash);
  try {
    auto session = db_.Lease();
    *session << "SELECT id, service_account_id, expires, CASE WHEN is_revoked THEN 1 ELSE 0 END FROM api_key "
                "WHERE " + db_.Quote("key") + " = :k",
        soci::use(hash), soci::into(id), soci::into(sa, sa_ind), soci::into(exp, exp_ind), soci::into(revoked);
    if (!session->got_data()) return std::optional<TokenRow>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading api_key");
  }
  if (sa_ind != soci::i_ok) return std::optional<TokenRow>();  // a legacy API key: not supported
  row.id = id;
  row.service_account_id = sa;
  if (exp_ind == soci::i_ok) row.expires = exp;
  row.revoked = revoked != 0;
  return std::optional<TokenRow>(row);
}

Status UserStore::DeleteToken(int64_t service_account_id, int64_t token_id) {
  long long sa = service_account_id, id = token_id;
  return db_.InTransaction([&](soci::session& session) {
    long long found = 0;
    session << "SELECT count(*) FROM api_key WHERE id = :id AND service_account_id = :sa", soci::use(id),
        soci::use(sa), soci::into(found);
    if (found == 0) return NotFoundError("token not found");
    session << "DELETE FROM api_key WHERE id = :id", soci::use(id);
    return OkStatus();
  });
}

}  // namespace md::auth
