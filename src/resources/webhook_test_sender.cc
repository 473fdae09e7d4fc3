#include "resources/webhook_test_sender.h"

#include "common/encoding.h"

namespace md::resources {
namespace {

using nlohmann::json;

std::string SettingString(const ContactPoint& cp, const char* key) {
  auto it = cp.settings.find(key);
  return it != cp.settings.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Secret(const DecryptedSecrets& secrets, const char* key) {
  auto it = secrets.find(key);
  return it == secrets.end() ? "" : it->second.InsecureString();
}

json TestPayload(const ContactPoint& cp) {
  json alert = {{"status", "firing"},
                {"labels", {{"alertname", "TestAlert"}, {"instance", "metrics-dashboard"}}},
                {"annotations", {{"summary", "Notification test"}}},
                {"fingerprint", "57c6d9296de2ad39"}};
  return {{"receiver", cp.name}, {"status", "firing"}, {"alerts", json::array({alert})},
          {"groupLabels", json::object()}, {"commonLabels", {{"alertname", "TestAlert"}}},
          {"commonAnnotations", {{"summary", "Notification test"}}}, {"externalURL", ""},
          {"version", "1"}, {"groupKey", "test-" + cp.uid}, {"truncatedAlerts", 0},
          {"title", "[FIRING:1]  (TestAlert metrics-dashboard)"}, {"state", "alerting"},
          {"message", "**Firing**\n\nNotification test"}};
}

void AddAuth(kms::http::HttpRequest& request, const ContactPoint& cp, const DecryptedSecrets& secrets) {
  const std::string user = SettingString(cp, "username");
  if (!user.empty()) {
    SecretBytes pair(user + ":" + Secret(secrets, "password"));
    request.headers.emplace_back("Authorization", "Basic " + Base64EncodePadded(pair.view()));
    return;
  }
  const std::string credentials = Secret(secrets, "authorization_credentials");
  if (credentials.empty()) return;
  std::string scheme = SettingString(cp, "authorization_scheme");
  request.headers.emplace_back("Authorization", (scheme.empty() ? "Bearer" : scheme) + " " + credentials);
}

}  // namespace

Status SendTestNotification(const kms::http::HttpClient& http, const ContactPoint& cp,
                            const DecryptedSecrets& secrets) {
  if (cp.type != "webhook") return InvalidArgumentError("test send supports webhook contact points only");
  kms::http::HttpRequest request;
  request.url = SettingString(cp, "url");
  if (request.url.empty()) return InvalidArgumentError("settings.url is required for a webhook");
  const std::string method = SettingString(cp, "httpMethod");
  request.method = method == "PUT" ? "PUT" : "POST";
  request.timeout = std::chrono::seconds(10);
  request.headers.emplace_back("Content-Type", "application/json");
  AddAuth(request, cp, secrets);
  request.body = SecretBytes(std::string_view(TestPayload(cp).dump()));
  auto response = http.Send(request);
  if (!response.ok()) return InvalidArgumentError("webhook request failed: " + response.status().message());
  const int status = response->status;
  if (status >= 200 && status < 300) return OkStatus();
  if (status == 401 || status == 403) {
    return InvalidArgumentError("webhook authentication failed: HTTP " + std::to_string(status));
  }
  return InvalidArgumentError("webhook answered HTTP " + std::to_string(status));
}

}  // namespace md::resources
