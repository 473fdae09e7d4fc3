// MySQL/MariaDB sessions: utf8mb4 and an sql_mode without ANSI_QUOTES so
// that identifiers are quoted with backticks (Database::Quote).
#include <string>

#include "store/soci.h"  // before any other SOCI header
#include <soci/mysql/soci-mysql.h>

#include "store/connectors.h"

namespace md::store::internal {
namespace {

// Strict like MySQL 8's default, minus ONLY_FULL_GROUP_BY; never ANSI_QUOTES.
constexpr char kSqlMode[] =
    "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION";

std::string ConnectString(const config::DatabaseSettings& settings) {
  std::string host;
  std::string port;
  SplitHostPort(settings.host, host, port);
  std::string params;
  if (!host.empty() && host.front() == '/') {
    params = "unix_socket=" + QuoteConnectValue(host);
  } else {
    params = "host=" + QuoteConnectValue(host);
    if (!port.empty()) {
      params += " port=" + port;
    }
  }
  params += " db=" + QuoteConnectValue(settings.name) + " user=" + QuoteConnectValue(settings.user);
  if (!settings.password.empty()) {
    params += " password=" + QuoteConnectValue(settings.password);
  }
  return params + " charset=utf8mb4 connect_timeout=10";
}

}  // namespace

Result<OpenedPool> OpenMysqlPool(const config::DatabaseSettings& settings) {
  return OpenServerPool(settings, soci::mysql, ConnectString(settings), [](soci::session& session) {
    session << "SET SESSION sql_mode = '" << kSqlMode << "'";
    session << "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci";
  });
}

}  // namespace md::store::internal
