// Test notifications for contact points: POST /api/v1/provisioning/contact-points/:uid/test.
// Only `webhook` contact points: a JSON test alert (Grafana's webhook payload shape) is sent with
// settings.httpMethod (default POST) to settings.url, authenticated with basic auth
// (settings.username + decrypted password) or "Authorization: <authorization_scheme>
// <authorization_credentials>". OK on a 2xx answer; InvalidArgument saying what failed otherwise
// (HTTP status, authentication, connection); never a secret in a message.
#pragma once

#include "kms/http/http_client.h"
#include "resources/contact_point.h"

namespace md::resources {

Status SendTestNotification(const kms::http::HttpClient& http, const ContactPoint& cp,
                            const DecryptedSecrets& secrets);

}  // namespace md::resources
