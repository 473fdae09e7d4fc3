// Plugin settings (Grafana's API): GET /api/plugins/:pluginId/settings (Viewers) and
// POST /api/plugins/:pluginId/settings (org Admins, as in Grafana) with enabled, pinned, jsonData,
// pluginVersion and secureJsonData (encrypted; answered as secureJsonFields; data source merge rule).
// A plugin without stored settings reads as disabled with empty jsonData.
#pragma once

#include "api/auth_guard.h"
#include "api/router.h"
#include "logging/logger.h"
#include "resources/plugin_setting_store.h"
#include "secrets/secrets_manager.h"

namespace md::api {

struct PluginSettingApiDeps {
  resources::PluginSettingStore& store;
  secrets::SecretsManager& manager;
  const logging::Logger& logger;
};

// REQUIRES: the objects in deps and auth outlive the router.
void AddPluginSettingRoutes(Router& router, const Authenticator& auth, PluginSettingApiDeps deps);

}  // namespace md::api
