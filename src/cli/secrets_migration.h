// `metrics-dashboard cli admin secrets-migration <action>`.
#pragma once

#include <string>

namespace md::cli {

// PLACEHOLDER until the secrets-migration commands land (they come from a later issue): prints
// "not implemented yet" to stderr and returns exit code 2. Never reports a fake success.
int RunSecretsMigrationPlaceholder(const std::string& action);

}  // namespace md::cli
