// Internal to the store: per-dialect pool construction behind Database::Open. Each function opens
// every session of the pool, applies the dialect's session settings, and returns Unavailable
// (one line, naming the database, never the password) when the server cannot be reached.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/soci.h"

#include "common/status.h"
#include "config/settings.h"

namespace md::store::internal {

struct OpenedPool {
  std::unique_ptr<soci::connection_pool> pool;
  std::size_t size = 0;
  std::string description;  // e.g. "postgres database md on 127.0.0.1:5432"
};

Result<OpenedPool> OpenSqlitePool(const config::DatabaseSettings& settings);
Result<OpenedPool> OpenPostgresPool(const config::DatabaseSettings& settings);
Result<OpenedPool> OpenMysqlPool(const config::DatabaseSettings& settings);

// Opens every session of a pool on a database server (`backend`: soci::postgresql, soci::mysql)
// and runs `prepare` on each. Unavailable, one line naming the database and never the password,
// when a session cannot be opened or prepared.
Result<OpenedPool> OpenServerPool(const config::DatabaseSettings& settings, const soci::backend_factory& backend,
                                  const std::string& connect_string,
                                  const std::function<void(soci::session&)>& prepare);

// A value for a SOCI mysql connect string or a libpq conninfo: single-quoted, ' and \ escaped.
std::string QuoteConnectValue(const std::string& value);

// Splits "host[:port]" ("[v6]:port" too). port is empty when absent; a host starting with '/'
// is a Unix socket path and is never split.
void SplitHostPort(std::string_view host_port, std::string& host, std::string& port);

// The pool size to use for a configured max_open_conn (at least 1).
std::size_t PoolSize(int max_open_conn);

// Collapses a driver message to one line and removes `secret` from it if present.
std::string OneLine(std::string_view message, std::string_view secret);

}  // namespace md::store::internal
