#include "api/config_admin_authenticator.h"

#include "common/encoding.h"

namespace md::api {

Result<std::optional<Identity>> ConfigAdminAuthenticator::Authenticate(
    const httplib::Request& request) const {
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return std::optional<Identity>();
  }
  auto decoded = Base64DecodeAny(std::string_view(header).substr(kScheme.size()));
  if (!decoded.ok()) return std::optional<Identity>();
  SecretBytes pair{ByteView(*decoded)};
  CleanseMemory(decoded->data(), decoded->size());
  const std::string_view text = AsString(pair.view());
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.substr(0, colon) != admin_user_) {
    return std::optional<Identity>();
  }
  if (!SecretBytes(text.substr(colon + 1)).Equals(admin_password_)) {
    return std::optional<Identity>();
  }
  Identity admin;
  admin.user_id = 1;
  admin.org_id = 1;
  admin.login = admin_user_;
  admin.role = OrgRole::kAdmin;
  admin.server_admin = true;
  return std::optional<Identity>(admin);
}

}  // namespace md::api
