// Grafana's data source HTTP API (grafana-formats.md §8, docs/api.md):
//   GET /api/datasources, POST /api/datasources, GET|PUT|DELETE /api/datasources/uid/:uid,
//   GET|PUT|DELETE /api/datasources/:id, GET /api/datasources/name/:name,
//   GET /api/datasources/id/:name, GET /api/datasources/uid/:uid/health.
// Viewers read, Editors and Admins write. Secrets are encrypted before the write transaction and
// never returned; a row whose secrets cannot be decrypted is listed with empty secureJsonFields
// and logged once.
#pragma once

#include "api/auth_guard.h"
#include "api/router.h"
#include "logging/logger.h"
#include "resources/data_source_store.h"
#include "resources/health_checker.h"
#include "secrets/secrets_manager.h"

namespace md::api {

struct DataSourceApiDeps {
  resources::DataSourceStore& store;
  secrets::SecretsManager& manager;
  const resources::HealthChecker& health;
  const logging::Logger& logger;
};

// REQUIRES: the objects in deps and auth outlive the router.
void AddDataSourceRoutes(Router& router, const Authenticator& auth, DataSourceApiDeps deps);

}  // namespace md::api
