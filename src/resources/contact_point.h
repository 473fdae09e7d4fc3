// ContactPoint: one Grafana-managed integration of alertmanager_config.receivers[] as stored in
// alert_configuration.alertmanager_configuration (grafana-formats.md §4.3 row 10):
//   {"uid", "name", "type", "disableResolveMessage", "settings": {...},
//    "secureSettings": {"<key>": "<std base64 padded envelope blob>"}}
// and the per-type list of settings that are secret (moved to secureSettings, encrypted, shown
// as "[REDACTED]").
#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "resources/secure_json.h"

namespace md::resources {

inline constexpr char kRedacted[] = "[REDACTED]";

struct ContactPoint {
  std::string uid;
  std::string name;
  std::string type;
  bool disable_resolve_message = false;
  nlohmann::json settings = nlohmann::json::object();  // without the secret keys
  EncryptedSecrets secure_settings;                     // key -> envelope blob
};

// Create/update input. Secret keys: present in `secrets` -> replaced (an empty value removes the
// key); absent (or sent as "[REDACTED]") -> the stored value is kept.
struct ContactPointCommand {
  std::string uid;  // create: empty = generated
  std::string name;
  std::string type;
  bool disable_resolve_message = false;
  nlohmann::json settings = nlohmann::json::object();
  EncryptedSecrets secrets;
  std::set<std::string> cleared;  // secret keys sent as ""
};

// The secret setting names of an integration type (Grafana's per-notifier secure fields),
// e.g. webhook: password, authorization_credentials; slack: url, token. Empty for unknown types.
const std::set<std::string>& SecretSettingKeys(const std::string& type);

}  // namespace md::resources
