// Migrate: creates migration_log, then applies each pending migration of schema::AllMigrations()
// under a cluster-wide lock, recording it in the same transaction where the dialect allows
// (SQLite, PostgreSQL; MySQL commits DDL implicitly, so the named lock is what serialises there).
#include "store/migrator.h"

#include <exception>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/schema/migration.h"

namespace md::store {
namespace {

constexpr long long kPostgresMigrationLockKey = 0x6d64'0002;  // "md" 2
constexpr char kMysqlMigrationLockName[] = "metrics_dashboard.migrate";
constexpr int kMysqlMigrationLockTimeoutSeconds = 300;

schema::Table MigrationLogTable() {
  using T = schema::ColumnType;
  return {"migration_log",
          {{.name = "id", .type = T::kBigInt, .nullable = false, .primary_key = true,
            .auto_increment = true},
           {.name = "migration_id", .type = T::kVarchar, .length = 255},
           {.name = "sql", .type = T::kText},
           {.name = "success", .type = T::kBool},
           {.name = "error", .type = T::kText},
           {.name = "timestamp", .type = T::kDateTime}},
          {}};
}

std::set<std::string> AppliedIds(Database& db, soci::session& session) {
  std::set<std::string> applied;
  if (!db.TableExists(session, "migration_log")) {
    return applied;
  }
  soci::rowset<std::string> rows =
      (session.prepare << "SELECT migration_id FROM migration_log WHERE success = " +
                              db.BoolLiteral(true));
  for (const std::string& id : rows) {
    applied.insert(id);
  }
  return applied;
}

void Record(Database& db, soci::session& session, const std::string& id, const std::string& sql,
            bool success, const std::string& error) {
  session << "INSERT INTO migration_log (migration_id, " << db.Quote("sql") << ", success, "
          << db.Quote("error") << ", " << db.Quote("timestamp") << ") VALUES (:id, :sql, "
          << db.BoolLiteral(success) << ", :error, " << db.NowLiteral() << ")",
      soci::use(id), soci::use(sql), soci::use(error);
}

// Starts a transaction that holds the migration lock until it ends (SQLite, PostgreSQL). On MySQL
// the lock is the session's named lock taken once by Migrate.
void BeginLocked(Database& db, soci::session& session) {
  switch (db.dialect()) {
    case Dialect::kSqlite:
      session << "BEGIN IMMEDIATE";
      break;
    case Dialect::kPostgres:
      session.begin();
      session << "SELECT pg_advisory_xact_lock(" << kPostgresMigrationLockKey << ")";
      break;
    case Dialect::kMysql:
      session.begin();
      break;
  }
}

// Applies one migration unless it is already recorded; the caller holds the lock.
void ApplyOne(Database& db, soci::session& session, const schema::Migration& migration) {
  const std::set<std::string> applied = AppliedIds(db, session);
  if (applied.count(migration.id) > 0) {
    return;
  }
  std::string joined;
  for (const std::string& statement : migration.plan(db, session)) {
    session << statement;
    joined += statement + ";\n";
  }
  Record(db, session, migration.id, joined, true, "");
  for (const std::string& id : migration.subsumes) {
    if (applied.count(id) == 0) {
      Record(db, session, id, "-- included in: " + migration.id, true, "");
    }
  }
}

// Runs one migration in its own locked transaction; a failure rolls back and is logged.
Status RunOne(Database& db, soci::session& session, const schema::Migration& migration) {
  try {
    BeginLocked(db, session);
    ApplyOne(db, session, migration);
    session.commit();
    return OkStatus();
  } catch (const std::exception& e) {
    try {
      session.rollback();
    } catch (const std::exception&) {
      // Nothing open, or the connection is gone.
    }
    Status status = StatusFromException(e, "migration '" + migration.id + "' failed");
    try {
      if (db.TableExists(session, "migration_log")) {
        Record(db, session, migration.id, "", false, status.message());
      }
    } catch (const std::exception&) {
      // Best effort: the returned status carries the error.
    }
    return status;
  }
}

Status RunAll(Database& db, soci::session& session) {
  const schema::Migration log_table = schema::CreateTable("create migration_log table",
                                                          MigrationLogTable());
  if (Status s = RunOne(db, session, log_table); !s.ok()) {
    return s;
  }
  const std::set<std::string> applied = AppliedIds(db, session);  // unlocked fast path
  for (const schema::Migration& migration : schema::AllMigrations()) {
    if (applied.count(migration.id) > 0) {
      continue;
    }
    if (Status s = RunOne(db, session, migration); !s.ok()) {
      return s;
    }
  }
  return OkStatus();
}

}  // namespace

Status Migrate(Database& db) {
  try {
    auto session = db.Lease();
    if (db.dialect() != Dialect::kMysql) {
      return RunAll(db, *session);
    }
    int got = 0;
    *session << "SELECT GET_LOCK('" << kMysqlMigrationLockName << "', "
             << kMysqlMigrationLockTimeoutSeconds << ")",
        soci::into(got);
    if (got != 1) {
      return UnavailableError("timed out waiting for the migration lock of " + db.description());
    }
    Status status;
    try {
      status = RunAll(db, *session);
    } catch (const std::exception& e) {
      status = StatusFromException(e, "migrating " + db.description());
    }
    *session << "DO RELEASE_LOCK('" << kMysqlMigrationLockName << "')";
    return status;
  } catch (const std::exception& e) {
    return StatusFromException(e, "migrating " + db.description());
  }
}

Status EnsureOwnTables(Database& db) {
  std::vector<schema::Migration> own;
  schema::AppendOwnMigrations(own);
  try {
    auto session = db.Lease();
    for (const schema::Migration& migration : own) {
      BeginLocked(db, *session);
      for (const std::string& statement : migration.plan(db, *session)) *session << statement;
      session->commit();
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "creating the project's own tables in " + db.description());
  }
}

}  // namespace md::store
