#include "store/database.h"

#include <cstdlib>
#include <exception>
#include <utility>

#include "store/connectors.h"

namespace md::store {
namespace {

// The key of the cluster-wide write lock taken by InTransaction(write_lock = true) on PostgreSQL
// (pg_advisory_xact_lock) and its name on MySQL (GET_LOCK). Distinct from the migration lock.
constexpr long long kPostgresWriteLockKey = 0x6d64'0001;  // "md" 1
constexpr char kMysqlWriteLockName[] = "metrics_dashboard.write";
constexpr int kMysqlWriteLockTimeoutSeconds = 60;

}  // namespace

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite:
      return "sqlite3";
    case Dialect::kPostgres:
      return "postgres";
    case Dialect::kMysql:
      return "mysql";
  }
  return "unknown";
}

Result<std::unique_ptr<Database>> Database::Open(const config::DatabaseSettings& settings) {
  Dialect dialect;
  Result<internal::OpenedPool> opened = InvalidArgumentError("unset");
  if (settings.type == "sqlite3" || settings.type == "sqlite") {
    dialect = Dialect::kSqlite;
    opened = internal::OpenSqlitePool(settings);
  } else if (settings.type == "postgres" || settings.type == "postgresql") {
    dialect = Dialect::kPostgres;
    opened = internal::OpenPostgresPool(settings);
  } else if (settings.type == "mysql" || settings.type == "mariadb") {
    dialect = Dialect::kMysql;
    opened = internal::OpenMysqlPool(settings);
  } else {
    return InvalidArgumentError("[database] type '" + settings.type +
                                "' is not one of sqlite3, postgres, mysql");
  }
  if (!opened.ok()) {
    return opened.status();
  }
  std::unique_ptr<Database> db(new Database(dialect, std::move(opened->pool), opened->size,
                                            std::move(opened->description)));
  if (Status ping = db->Ping(); !ping.ok()) {
    return ping;
  }
  return db;
}

Database::Database(Dialect dialect, std::unique_ptr<soci::connection_pool> pool,
                   std::size_t pool_size, std::string description)
    : dialect_(dialect),
      pool_(std::move(pool)),
      pool_size_(pool_size),
      description_(std::move(description)) {}

Database::~Database() = default;

LeasedSession Database::Lease() {
  if (pool_ == nullptr) {
    std::abort();  // a test double built with the protected constructor has no sessions
  }
  auto* session = new soci::session(*pool_);  // blocks while every session is leased
  in_use_.fetch_add(1, std::memory_order_relaxed);
  return LeasedSession(session, SessionReturner{&in_use_});
}

Status Database::Ping() {
  try {
    auto session = Lease();
    int one = 0;
    *session << "SELECT 1", soci::into(one);
    if (one != 1) {
      return UnavailableError(description_ + " answered SELECT 1 with " + std::to_string(one));
    }
  } catch (const std::exception& e) {
    return UnavailableError(description_ + " is unreachable: " + internal::OneLine(e.what(), ""));
  }
  return OkStatus();
}

Status Database::BeginTransaction(soci::session& session, bool write_lock) const {
  if (dialect_ == Dialect::kSqlite && write_lock) {
    session << "BEGIN IMMEDIATE";
    return OkStatus();
  }
  if (dialect_ == Dialect::kMysql && write_lock) {
    // A session-level named lock, taken before BEGIN so that the snapshot starts after it.
    int got = 0;
    session << "SELECT GET_LOCK('" << kMysqlWriteLockName << "', "
            << kMysqlWriteLockTimeoutSeconds << ")",
        soci::into(got);
    if (got != 1) {
      return UnavailableError("timed out waiting for the write lock of " + description_);
    }
  }
  session.begin();
  if (dialect_ == Dialect::kPostgres && write_lock) {
    session << "SELECT pg_advisory_xact_lock(" << kPostgresWriteLockKey << ")";
  }
  return OkStatus();
}

void Database::EndTransaction(soci::session& session, bool write_lock, bool commit) const {
  if (commit) {
    session.commit();
  } else {
    try {
      session.rollback();
    } catch (const std::exception&) {
      // The connection is gone or no transaction is open; the server discards it either way.
    }
  }
  if (dialect_ == Dialect::kMysql && write_lock) {
    int released = 0;
    session << "SELECT RELEASE_LOCK('" << kMysqlWriteLockName << "')", soci::into(released);
  }
}

Status Database::InTransaction(const std::function<Status(soci::session&)>& fn, bool write_lock) {
  LeasedSession session;
  bool open = false;  // a transaction (and, on MySQL, the write lock) may need releasing
  try {
    session = Lease();
    open = true;
    if (Status begin = BeginTransaction(*session, write_lock); !begin.ok()) {
      return begin;
    }
    Status status = fn(*session);
    open = false;
    EndTransaction(*session, write_lock, status.ok());
    return status;
  } catch (const std::exception& e) {
    if (session != nullptr) {
      try {
        if (open) {
          EndTransaction(*session, write_lock, /*commit=*/false);
        } else if (dialect_ == Dialect::kMysql && write_lock) {
          *session << "DO RELEASE_LOCK('" << kMysqlWriteLockName << "')";  // commit failed
        }
      } catch (const std::exception&) {
        // Already failing; the original error is the one to report.
      }
    }
    return StatusFromException(e, "transaction on " + description_);
  }
}

}  // namespace md::store
