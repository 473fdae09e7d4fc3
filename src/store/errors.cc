// StatusFromException, and the pool opening and small string helpers the connectors share.
#include <string>
#include <string_view>

#include "store/soci.h"  // before any other SOCI header
#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/connectors.h"
#include "store/database.h"

namespace md::store {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

StatusCode CodeOfSqlite(const soci::sqlite3_soci_error& e) {
  const int primary = e.result() & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return StatusCode::kUnavailable;
  }
  if (primary == SQLITE_CONSTRAINT && (Contains(e.what(), "UNIQUE constraint failed") ||
                                       Contains(e.what(), "PRIMARY KEY constraint failed"))) {
    return StatusCode::kAlreadyExists;
  }
  return StatusCode::kInternal;
}

StatusCode CodeOfPostgres(const soci::postgresql_soci_error& e) {
  const std::string state = e.sqlstate();
  if (state == "23505") {
    return StatusCode::kAlreadyExists;  // unique_violation
  }
  // connection exceptions, serialization failure, deadlock, lock not available, shutdown
  if (state.rfind("08", 0) == 0 || state == "40001" || state == "40P01" || state == "55P03" ||
      state.rfind("57P0", 0) == 0 || e.get_error_category() == soci::soci_error::connection_error) {
    return StatusCode::kUnavailable;
  }
  return StatusCode::kInternal;
}

StatusCode CodeOfMysql(const soci::mysql_soci_error& e) {
  switch (e.err_num_) {
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
      return StatusCode::kAlreadyExists;
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
      return StatusCode::kUnavailable;
    default:
      return e.get_error_category() == soci::soci_error::connection_error
                 ? StatusCode::kUnavailable
                 : StatusCode::kInternal;
  }
}

}  // namespace

Status StatusFromException(const std::exception& e, std::string_view what) {
  StatusCode code = StatusCode::kInternal;
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    code = CodeOfSqlite(*sqlite);
  } else if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    code = CodeOfPostgres(*pg);
  } else if (const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
    code = CodeOfMysql(*my);
  } else if (const auto* soci_e = dynamic_cast<const soci::soci_error*>(&e)) {
    if (soci_e->get_error_category() == soci::soci_error::connection_error) {
      code = StatusCode::kUnavailable;
    }
  }
  // soci_error::what() appends the statement and its bound parameter values, which may hold
  // encrypted values or user data: only the driver's own message goes into a Status.
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
  std::string message = soci_error ? soci_error->get_error_message() : e.what();
  return Status(code, std::string(what) + ": " + internal::OneLine(message, ""));
}

namespace internal {

std::string QuoteConnectValue(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "'";
}

void SplitHostPort(std::string_view host_port, std::string& host, std::string& port) {
  host.clear();
  port.clear();
  if (!host_port.empty() && host_port.front() == '/') {
    host = std::string(host_port);
    return;
  }
  if (!host_port.empty() && host_port.front() == '[') {  // [v6]:port
    const size_t close = host_port.find(']');
    if (close != std::string_view::npos) {
      host = std::string(host_port.substr(1, close - 1));
      if (close + 1 < host_port.size() && host_port[close + 1] == ':') {
        port = std::string(host_port.substr(close + 2));
      }
      return;
    }
  }
  const size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos || host_port.find(':') != colon) {
    host = std::string(host_port);  // no port, or a bare IPv6 address
    return;
  }
  host = std::string(host_port.substr(0, colon));
  port = std::string(host_port.substr(colon + 1));
}

Result<OpenedPool> OpenServerPool(const config::DatabaseSettings& settings, const soci::backend_factory& backend,
                                  const std::string& connect_string,
                                  const std::function<void(soci::session&)>& prepare) {
  OpenedPool opened;
  opened.description = settings.type + " database " + settings.name + " on " + settings.host;
  opened.size = PoolSize(settings.max_open_conn);
  opened.pool = std::make_unique<soci::connection_pool>(opened.size);
  try {
    for (std::size_t i = 0; i < opened.size; ++i) {
      soci::session& session = opened.pool->at(i);
      session.open(backend, connect_string);
      prepare(session);
    }
  } catch (const std::exception& e) {
    return UnavailableError("cannot connect to " + opened.description + ": " +
                            OneLine(e.what(), settings.password));
  }
  return opened;
}

std::size_t PoolSize(int max_open_conn) {
  return max_open_conn < 1 ? 1 : static_cast<std::size_t>(max_open_conn);
}

std::string OneLine(std::string_view message, std::string_view secret) {
  // SOCI's PostgreSQL backend prefixes libpq's own explanation with this sentence.
  constexpr std::string_view kSociPrefix = "Cannot establish connection to the database.";
  if (message.substr(0, kSociPrefix.size()) == kSociPrefix && message.size() > kSociPrefix.size()) {
    message.remove_prefix(kSociPrefix.size());
  }
  std::string line;
  bool pending_separator = false;
  bool pending_space = false;
  for (char c : message) {
    if (c == '\n' || c == '\r') {
      pending_separator = !line.empty();
      pending_space = false;
      continue;
    }
    if (c == ' ' || c == '\t') {
      pending_space = !line.empty();
      continue;
    }
    if (pending_separator) {
      line += "; ";
    } else if (pending_space) {
      line += ' ';
    }
    pending_separator = pending_space = false;
    line += c;
  }
  if (!secret.empty()) {
    for (size_t at = line.find(secret); at != std::string::npos; at = line.find(secret, at)) {
      line.replace(at, secret.size(), "***");
      at += 3;
    }
  }
  return line;
}

}  // namespace internal
}  // namespace md::store
