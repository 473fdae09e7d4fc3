#include "auth/basic_and_token_authenticator.h"

#include <ctime>

#include "auth/password_hash.h"
#include "auth/service_token.h"
#include "common/encoding.h"

namespace md::auth {
namespace {

using MaybeIdentity = std::optional<api::Identity>;

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

int64_t UnixNow() { return static_cast<int64_t>(std::time(nullptr)); }

// A store failure must not read as a rate limit (the guard maps Unavailable to 429).
Status CheckFailed(const Status& s) { return InternalError("checking credentials: " + s.message()); }

// Spends the time of one password check, so an unknown login is not told apart by timing.
void DummyPasswordCheck(const SecretBytes& password) {
  static const std::string kDummyHash(2 * kPasswordHashBytes, '0');
  (void)PasswordMatches(password, "0000000000", kDummyHash);
}

}  // namespace

api::Identity IdentityOf(const UserRow& user) {
  api::Identity id;
  id.user_id = user.id;
  id.org_id = kMainOrgId;
  id.login = user.login;
  id.role = user.role;
  id.server_admin = user.is_admin && !user.is_service_account;
  id.service_account = user.is_service_account;
  return id;
}

BasicAndTokenAuthenticator::BasicAndTokenAuthenticator(UserStore& users, LoginRateLimiter& limiter,
                                                       WallClock now)
    : users_(users), limiter_(limiter), now_(now ? std::move(now) : WallClock(UnixNow)) {}

Result<MaybeIdentity> BasicAndTokenAuthenticator::Authenticate(const httplib::Request& request) const {
  const std::string header = request.get_header_value("Authorization");
  std::string_view value = Trim(header);
  if (StartsWithNoCase(value, "Basic ")) {
    return Basic(Trim(value.substr(6)), request.remote_addr);
  }
  if (StartsWithNoCase(value, "Bearer ")) {
    return Bearer(Trim(value.substr(7)));
  }
  return MaybeIdentity();
}

Result<MaybeIdentity> BasicAndTokenAuthenticator::Basic(std::string_view credentials,
                                                        std::string_view address) const {
  auto decoded = Base64DecodePadded(credentials);
  if (!decoded.ok()) return MaybeIdentity();
  SecretBytes pair{ByteView(*decoded)};
  CleanseMemory(decoded->data(), decoded->size());
  std::string_view text = AsString(pair.view());
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return MaybeIdentity();
  return Login(text.substr(0, colon), SecretBytes(text.substr(colon + 1)), address);
}

Result<MaybeIdentity> BasicAndTokenAuthenticator::Login(std::string_view login, const SecretBytes& password,
                                                        std::string_view address) const {
  if (Status s = limiter_.Check(login, address); !s.ok()) return s;
  Result<std::optional<UserRow>> user = users_.FindByLoginOrEmail(login);
  if (!user.ok()) return CheckFailed(user.status());
  if (!*user) DummyPasswordCheck(password);
  const UserRow* row = user->has_value() ? &**user : nullptr;
  const bool ok = row != nullptr && !row->is_disabled && !row->is_service_account &&
                  PasswordMatches(password, row->salt, row->password_hash);
  if (!ok) {
    limiter_.RecordFailure(login, address);
    return MaybeIdentity();
  }
  return MaybeIdentity(IdentityOf(*row));
}

Result<MaybeIdentity> BasicAndTokenAuthenticator::Bearer(std::string_view token) const {
  if (!IsWellFormedToken(token)) return MaybeIdentity();
  Result<std::optional<TokenRow>> row = users_.FindToken(TokenHash(token));
  if (!row.ok()) return CheckFailed(row.status());
  const std::optional<TokenRow>& t = *row;
  if (!t || t->revoked || (t->expires && *t->expires <= now_())) return MaybeIdentity();
  Result<std::optional<UserRow>> account = users_.FindById(t->service_account_id);
  if (!account.ok()) return CheckFailed(account.status());
  if (!*account || (*account)->is_disabled || !(*account)->is_service_account) return MaybeIdentity();
  return MaybeIdentity(IdentityOf(**account));
}

}  // namespace md::auth
