// Database: a pool of SOCI sessions over SQLite, PostgreSQL or MySQL/MariaDB, chosen by
// [database] type, plus the few SQL fragments where the dialects differ. Thread-safe.
// Everything above the store speaks SQL through this class and never names a backend.
#pragma once

#include <cstddef>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/soci.h"

#include "common/status.h"
#include "config/settings.h"

namespace md::store {

enum class Dialect { kSqlite, kPostgres, kMysql };

// Gives a leased session back to the pool (by destroying it) and counts it as returned.
struct SessionReturner {
  std::atomic<int>* in_use = nullptr;
  void operator()(soci::session* session) const {
    delete session;
    if (in_use != nullptr) in_use->fetch_sub(1, std::memory_order_relaxed);
  }
};
using LeasedSession = std::unique_ptr<soci::session, SessionReturner>;
std::string_view DialectName(Dialect dialect);  // "sqlite3" | "postgres" | "mysql"

class Database {
 public:
  // Opens max_open_conn sessions (SQLite: WAL, busy timeout, foreign keys), and checks that the
  // server answers. Unavailable with a one-line message naming the database when it does not.
  static Result<std::unique_ptr<Database>> Open(const config::DatabaseSettings& settings);
  virtual ~Database();

  Dialect dialect() const { return dialect_; }

  // A session leased from the pool until the returned object is destroyed. Blocks while all
  // pool_size() sessions are leased. REQUIRES: the returned session is not shared across threads.
  LeasedSession Lease();

  // The number of pooled sessions ([database] max_open_conn, at least 1).
  std::size_t pool_size() const { return pool_size_; }
  // Sessions leased right now (for the pool-use metric).
  int sessions_in_use() const { return in_use_.load(std::memory_order_relaxed); }

  // "<type> database <name> on <host>" (or "sqlite3 database <path>"): for error messages; never
  // contains the password.
  const std::string& description() const { return description_; }

  // OK when a trivial query succeeds.
  Status Ping();

  // Runs fn in a transaction on a leased session: commit when fn returns OK, roll back otherwise.
  // A soci_error thrown inside becomes Unavailable/Internal with the driver's message.
  // write_lock takes the database write lock at BEGIN (SQLite BEGIN IMMEDIATE) so that
  // check-then-insert sequences are serialised across processes.
  Status InTransaction(const std::function<Status(soci::session&)>& fn, bool write_lock = false);

  // SQL fragments that hide dialect differences.
  std::string BoolLiteral(bool value) const;                 // 1/0 or true/false
  std::string HexOfBlob(std::string_view column) const;      // select-expr: blob -> hex text
  std::string BlobFromHex(std::string_view placeholder) const;  // value-expr: hex text -> blob
  std::string Quote(std::string_view identifier) const;      // "user" / `user`
  std::string NowLiteral() const;  // value-expr: the current UTC time as a DATETIME/timestamp

  bool TableExists(soci::session& session, std::string_view table) const;
  bool ColumnExists(soci::session& session, std::string_view table, std::string_view column) const;
  // True when an index of that name exists (on any table of the current database/schema).
  bool IndexExists(soci::session& session, std::string_view table, std::string_view index) const;

 protected:
  // A Database without sessions, for test doubles that override nothing but the SQL fragments.
  // Lease() on such an object aborts.
  explicit Database(Dialect dialect) : dialect_(dialect) {}

 private:
  Database(Dialect dialect, std::unique_ptr<soci::connection_pool> pool, std::size_t pool_size,
           std::string description);

  Status BeginTransaction(soci::session& session, bool write_lock) const;
  void EndTransaction(soci::session& session, bool write_lock, bool commit) const;

  Dialect dialect_;
  std::unique_ptr<soci::connection_pool> pool_;  // null only for the protected constructor
  std::size_t pool_size_ = 0;
  std::atomic<int> in_use_{0};
  std::string description_;
};

// Converts an exception thrown by SOCI (or the standard library) into a Status whose message is
// "<what>: <driver message on one line>". Lost connections, lock timeouts, deadlocks and SQLite
// BUSY/LOCKED become Unavailable (retryable); unique/primary-key violations AlreadyExists;
// everything else Internal.
Status StatusFromException(const std::exception& e, std::string_view what);

}  // namespace md::store
