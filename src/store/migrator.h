// Schema migrations: creates and upgrades the project's tables (grafana-formats.md §3-4 layouts,
// plus the project's own). Each migration runs once and is recorded in migration_log, so running
// against an existing database (ours or Grafana's) only applies what is missing.
#pragma once

#include "common/status.h"
#include "store/database.h"

namespace md::store {

Status Migrate(Database& db);

}  // namespace md::store
