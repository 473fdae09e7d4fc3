// PostgreSQL sessions through libpq: host[:port] from [database] host, sslmode from ssl_mode.
#include <string>

#include "store/soci.h"  // before any other SOCI header
#include <soci/postgresql/soci-postgresql.h>

#include "store/connectors.h"

namespace md::store::internal {
namespace {

// A libpq conninfo value: single-quoted, with ' and \ escaped.
std::string ConnInfoValue(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "'";
}

std::string ConnectString(const config::DatabaseSettings& settings) {
  std::string host;
  std::string port;
  SplitHostPort(settings.host, host, port);
  std::string conninfo = "host=" + ConnInfoValue(host);
  if (!port.empty()) {
    conninfo += " port=" + ConnInfoValue(port);
  }
  conninfo += " dbname=" + ConnInfoValue(settings.name);
  conninfo += " user=" + ConnInfoValue(settings.user);
  if (!settings.password.empty()) {
    conninfo += " password=" + ConnInfoValue(settings.password);
  }
  conninfo += " sslmode=" + ConnInfoValue(settings.ssl_mode.empty() ? "disable" : settings.ssl_mode);
  conninfo += " connect_timeout=10 application_name='metrics-dashboard' client_encoding='UTF8'";
  return conninfo;
}

}  // namespace

Result<OpenedPool> OpenPostgresPool(const config::DatabaseSettings& settings) {
  OpenedPool opened;
  opened.description = "postgres database " + settings.name + " on " + settings.host;
  opened.size = PoolSize(settings.max_open_conn);
  opened.pool = std::make_unique<soci::connection_pool>(opened.size);
  const std::string conninfo = ConnectString(settings);
  try {
    for (std::size_t i = 0; i < opened.size; ++i) {
      opened.pool->at(i).open(soci::postgresql, conninfo);
    }
  } catch (const std::exception& e) {
    return UnavailableError("cannot connect to " + opened.description + ": " +
                            OneLine(e.what(), settings.password));
  }
  return opened;
}

}  // namespace md::store::internal
