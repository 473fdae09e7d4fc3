// ConfigAdminAuthenticator: TEMPORARY. Accepts only HTTP basic auth with [security]
// admin_user / admin_password from Settings, as a server admin of org 1, so that the resource
// routes are usable and testable before the user store exists. It is replaced by the user store's
// Authenticator (users with hashed passwords, service-account tokens) when that lands.
// Thread-safe.
#pragma once

#include <string>

#include "api/auth_guard.h"
#include "common/secret_bytes.h"

namespace md::api {

class ConfigAdminAuthenticator : public Authenticator {
 public:
  ConfigAdminAuthenticator(std::string admin_user, SecretBytes admin_password)
      : admin_user_(std::move(admin_user)), admin_password_(std::move(admin_password)) {}

  // The admin identity for matching credentials, nullopt otherwise (no header, another scheme,
  // bad base64, wrong user or password). Never an error.
  Result<std::optional<Identity>> Authenticate(const httplib::Request& request) const override;

 private:
  std::string admin_user_;
  SecretBytes admin_password_;
};

}  // namespace md::api
