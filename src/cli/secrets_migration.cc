#include "cli/secrets_migration.h"

#include <iostream>

namespace md::cli {

int RunSecretsMigrationPlaceholder(const std::string& action) {
  std::cerr << "metrics-dashboard: admin secrets-migration " << action
            << ": not implemented yet\n";
  return 2;
}

}  // namespace md::cli
