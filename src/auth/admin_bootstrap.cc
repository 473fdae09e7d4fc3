#include "auth/admin_bootstrap.h"

namespace md::auth {

Result<bool> EnsureFirstAdmin(UserStore& users, const config::SecuritySettings& security) {
  ASSIGN_OR_RETURN(int64_t count, users.CountUsers());
  if (count > 0) {
    return false;
  }
  NewUser admin;
  admin.login = security.admin_user;
  admin.email = security.admin_user.find('@') == std::string::npos ? security.admin_user + "@localhost"
                                                                   : security.admin_user;
  admin.name = security.admin_user;
  admin.password = security.admin_password;
  admin.is_admin = true;
  admin.role = api::OrgRole::kAdmin;
  Result<int64_t> id = users.CreateUser(admin);
  if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) {
    return false;  // another replica won the race
  }
  if (!id.ok()) {
    return id.status().WithContext("cannot create the first admin user");
  }
  return true;
}

}  // namespace md::auth
