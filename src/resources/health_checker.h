// HealthChecker: GET /api/datasources/uid/:uid/health. Uses the decrypted credentials for real:
//   postgres / grafana-postgresql-datasource: a libpq connection (url host:port, database, user,
//     secureJsonData.password, jsonData.sslmode, 5 s timeout) running SELECT 1;
//   prometheus: GET <url>/api/v1/query?query=1+1; loki: GET <url>/loki/api/v1/labels;
//   any other type with an http(s) url: GET <url>.
// HTTP checks send basic auth (basicAuth: basicAuthUser + secureJsonData.basicAuthPassword) or
// jsonData.httpHeaderName1: secureJsonData.httpHeaderValue1. Messages say what failed (status,
// auth, connection) and never contain a secret. Thread-safe.
#pragma once

#include <string>

#include "kms/http/http_client.h"
#include "resources/data_source.h"

namespace md::resources {

struct HealthResult {
  bool ok = false;
  std::string message;
};

class HealthChecker {
 public:
  virtual ~HealthChecker() = default;
  virtual HealthResult Check(const DataSource& ds, const DecryptedSecrets& secrets) const = 0;
};

// The real checker. REQUIRES: http outlives it.
class DataSourceHealthChecker : public HealthChecker {
 public:
  explicit DataSourceHealthChecker(const kms::http::HttpClient& http) : http_(http) {}
  HealthResult Check(const DataSource& ds, const DecryptedSecrets& secrets) const override;

 private:
  HealthResult CheckHttp(const DataSource& ds, const DecryptedSecrets& secrets) const;
  const kms::http::HttpClient& http_;
};

// The postgres check alone (exposed for tests).
HealthResult CheckPostgres(const DataSource& ds, const DecryptedSecrets& secrets);

}  // namespace md::resources
