// ResourceServices: the objects behind the resource routes (data sources, plugin settings,
// contact points) of one server process, built in RunServer and outliving its router.
#pragma once

#include <memory>

#include "kms/http/curl_http_client.h"
#include "resources/contact_point_store.h"
#include "resources/data_source_store.h"
#include "resources/health_checker.h"
#include "resources/plugin_setting_store.h"

namespace md::exe {

struct ResourceServices {
  explicit ResourceServices(store::Database& db)
      : http(kms::http::CurlHttpClient::New()), data_sources(db), health(*http), plugin_settings(db), contact_points(db) {}

  std::shared_ptr<kms::http::CurlHttpClient> http;
  resources::DataSourceStore data_sources;
  resources::DataSourceHealthChecker health;
  resources::PluginSettingStore plugin_settings;
  resources::ContactPointStore contact_points;
};

}  // namespace md::exe
