// Alerting contact points (Grafana's provisioning API):
//   GET|POST /api/v1/provisioning/contact-points, PUT|DELETE /api/v1/provisioning/contact-points/:uid,
//   POST /api/v1/provisioning/contact-points/:uid/test (ours: a test send to a webhook).
// Secret settings of the type (resources/contact_point.h) are moved out of `settings`, encrypted
// into secureSettings, and answered as "[REDACTED]"; a secret sent as "[REDACTED]" or not sent is
// kept, one sent as "" is removed. Viewers read, Editors write.
#pragma once

#include "api/auth_guard.h"
#include "api/router.h"
#include "kms/http/http_client.h"
#include "logging/logger.h"
#include "resources/contact_point_store.h"
#include "secrets/secrets_manager.h"

namespace md::api {

struct ContactPointApiDeps {
  resources::ContactPointStore& store;
  secrets::SecretsManager& manager;
  const kms::http::HttpClient& http;
  const logging::Logger& logger;
};

// REQUIRES: the objects in deps and auth outlive the router.
void AddContactPointRoutes(Router& router, const Authenticator& auth, ContactPointApiDeps deps);

}  // namespace md::api
