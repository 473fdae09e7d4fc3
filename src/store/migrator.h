// Schema migrations: creates and upgrades the project's tables (grafana-formats.md §3-4 layouts,
// plus the project's own). Each migration runs once and is recorded in migration_log, so running
// against an existing database (ours or Grafana's) only applies what is missing.
#pragma once

#include "common/status.h"
#include "store/database.h"

namespace md::store {

Status Migrate(Database& db);

// Creates only the project's own bookkeeping tables (md_key_check, md_operation_lock) when they
// are missing, recording nothing in migration_log: what the CLI does on a database another
// program (Grafana) owns, so that none of that program's tables or rows change.
Status EnsureOwnTables(Database& db);

}  // namespace md::store
