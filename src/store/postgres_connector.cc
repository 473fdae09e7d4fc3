// PostgreSQL sessions through libpq: host[:port] from [database] host, sslmode from ssl_mode.
#include <string>

#include "store/soci.h"  // before any other SOCI header
#include <soci/postgresql/soci-postgresql.h>

#include "store/connectors.h"

namespace md::store::internal {
namespace {

std::string ConnectString(const config::DatabaseSettings& settings) {
  std::string host;
  std::string port;
  SplitHostPort(settings.host, host, port);
  std::string conninfo = "host=" + QuoteConnectValue(host);
  if (!port.empty()) {
    conninfo += " port=" + QuoteConnectValue(port);
  }
  conninfo += " dbname=" + QuoteConnectValue(settings.name);
  conninfo += " user=" + QuoteConnectValue(settings.user);
  if (!settings.password.empty()) {
    conninfo += " password=" + QuoteConnectValue(settings.password);
  }
  conninfo += " sslmode=" + QuoteConnectValue(settings.ssl_mode.empty() ? "disable" : settings.ssl_mode);
  conninfo += " connect_timeout=10 application_name='metrics-dashboard' client_encoding='UTF8'";
  return conninfo;
}

}  // namespace

Result<OpenedPool> OpenPostgresPool(const config::DatabaseSettings& settings) {
  return OpenServerPool(settings, soci::postgresql, ConnectString(settings), [](soci::session&) {});
}

}  // namespace md::store::internal
