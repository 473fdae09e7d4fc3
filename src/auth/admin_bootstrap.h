// The first server admin: created from [security] admin_user / admin_password when the user table
// is empty (first start), as Grafana does. Never logs or returns the password.
#pragma once

#include "auth/user_store.h"
#include "config/settings.h"

namespace md::auth {

// True when the admin was created now; false when users already existed (or another replica
// created one at the same moment). Errors are the store's.
Result<bool> EnsureFirstAdmin(UserStore& users, const config::SecuritySettings& security);

}  // namespace md::auth
