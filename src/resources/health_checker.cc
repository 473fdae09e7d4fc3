#include "resources/health_checker.h"

#include <libpq-fe.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace md::resources {
namespace {

using nlohmann::json;

std::string Secret(const DecryptedSecrets& secrets, const std::string& key) {
  auto it = secrets.find(key);
  return it == secrets.end() ? std::string() : it->second.InsecureString();
}

std::string JsonDataString(const DataSource& ds, const char* key) {
  json j = json::parse(ds.json_data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return "";
  return j[key].get<std::string>();
}

// Removes every occurrence of `secret` from a driver or server message.
std::string Scrub(std::string message, const std::string& secret) {
  if (secret.empty()) return message;
  static constexpr std::string_view kMark = "[REDACTED]";
  for (size_t at = message.find(secret); at != std::string::npos;
       at = message.find(secret, at + kMark.size())) {
    message.replace(at, secret.size(), kMark);
  }
  return message;
}

std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) c = (c == '\n' || c == '\r') ? ' ' : c;
  return text;
}

// "host:port", "[v6]:port" or "host" -> host, port.
std::pair<std::string, std::string> SplitHostPort(const std::string& url) {
  if (!url.empty() && url.front() == '[') {
    const size_t close = url.find(']');
    if (close != std::string::npos) {
      const bool has_port = close + 1 < url.size() && url[close + 1] == ':';
      return {url.substr(1, close - 1), has_port ? url.substr(close + 2) : "5432"};
    }
  }
  const size_t colon = url.rfind(':');
  if (colon == std::string::npos) return {url, "5432"};
  return {url.substr(0, colon), url.substr(colon + 1)};
}

struct PgDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

std::string Endpoint(const DataSource& ds) {
  std::string base = ds.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (ds.type == "prometheus") return base + "/api/v1/query?query=1%2B1";
  if (ds.type == "loki") return base + "/loki/api/v1/labels";
  return ds.url;
}

bool IsPostgres(const std::string& type) {
  return type == "postgres" || type == "grafana-postgresql-datasource";
}

}  // namespace

HealthResult CheckPostgres(const DataSource& ds, const DecryptedSecrets& secrets) {
  const auto [host, port] = SplitHostPort(ds.url);
  std::string password = Secret(secrets, "password");
  std::string sslmode = JsonDataString(ds, "sslmode");
  if (sslmode.empty()) sslmode = "prefer";
  const char* keys[] = {"host", "port", "dbname", "user", "password", "sslmode", "connect_timeout", nullptr};
  const char* values[] = {host.c_str(), port.c_str(), ds.database.c_str(), ds.user.c_str(),
                          password.c_str(), sslmode.c_str(), "5", nullptr};
  std::unique_ptr<PGconn, PgDeleter> conn(PQconnectdbParams(keys, values, 0));
  HealthResult result;
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    result.message = "PostgreSQL connection failed: " +
                     Scrub(OneLine(conn ? PQerrorMessage(conn.get()) : "out of memory"), password);
  } else {
    PGresult* r = PQexec(conn.get(), "SELECT 1");
    result.ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    result.message = result.ok ? "Data source is working"
                               : "SELECT 1 failed: " + Scrub(OneLine(PQerrorMessage(conn.get())), password);
    PQclear(r);
  }
  CleanseMemory(password.data(), password.size());
  return result;
}

HealthResult DataSourceHealthChecker::CheckHttp(const DataSource& ds, const DecryptedSecrets& secrets) const {
  kms::http::HttpRequest request;
  request.method = "GET";
  request.url = Endpoint(ds);
  request.timeout = std::chrono::seconds(5);
  if (ds.basic_auth) {
    SecretBytes pair(ds.basic_auth_user + ":" + Secret(secrets, "basicAuthPassword"));
    request.headers.emplace_back("Authorization", "Basic " + Base64EncodePadded(pair.view()));
  }
  if (std::string name = JsonDataString(ds, "httpHeaderName1"); !name.empty()) {
    request.headers.emplace_back(name, Secret(secrets, "httpHeaderValue1"));
  }
  auto response = http_.Send(request);
  if (!response.ok()) return {false, "request failed: " + response.status().message()};
  const int status = response->status;
  if (status >= 200 && status < 300) return {true, "Data source is working"};
  if (status == 401 || status == 403) {
    return {false, "authentication failed: HTTP " + std::to_string(status)};
  }
  return {false, "unexpected HTTP status " + std::to_string(status)};
}

HealthResult DataSourceHealthChecker::Check(const DataSource& ds, const DecryptedSecrets& secrets) const {
  if (IsPostgres(ds.type)) return CheckPostgres(ds, secrets);
  if (ds.url.rfind("http://", 0) == 0 || ds.url.rfind("https://", 0) == 0) return CheckHttp(ds, secrets);
  return {false, "health check is not supported for type " + ds.type + " without an http(s) url"};
}

}  // namespace md::resources
