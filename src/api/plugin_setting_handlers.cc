#include "api/plugin_setting_handlers.h"

#include <cctype>
#include <memory>

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "api/warn_once.h"

namespace md::api {
namespace {

using nlohmann::json;

Result<std::string> PluginId(const Request& req) {
  const std::string id(req.Param("pluginId"));
  if (id.empty() || id.size() > 190) return InvalidArgumentError("pluginId must be 1-190 characters");
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return InvalidArgumentError("pluginId may contain only letters, digits, '-', '_' and '.'");
    }
  }
  return id;
}

Result<resources::PluginSettingCommand> ParseCommand(const Request& req, secrets::SecretsManager& manager) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(req.http.body));
  resources::PluginSettingCommand command;
  bool flag = false;
  std::string text;
  resources::PlainSecrets plain;
  if (Status s = ReadBool(body, "enabled", flag); !s.ok()) return s;
  if (body.contains("enabled") && !body["enabled"].is_null()) command.enabled = flag;
  if (Status s = ReadBool(body, "pinned", flag); !s.ok()) return s;
  if (body.contains("pinned") && !body["pinned"].is_null()) command.pinned = flag;
  if (Status s = ReadObjectText(body, "jsonData", text); !s.ok()) return s;
  if (!text.empty()) command.json_data = text;
  text.clear();
  if (Status s = ReadString(body, "pluginVersion", text); !s.ok()) return s;
  if (!text.empty()) command.plugin_version = text;
  if (Status s = ReadStringMap(body, "secureJsonData", plain); !s.ok()) return s;
  ASSIGN_OR_RETURN(command.secrets, resources::EncryptSecrets(manager, plain));
  return command;
}

class PluginSettingHandlers {
 public:
  explicit PluginSettingHandlers(PluginSettingApiDeps deps) : deps_(deps), warn_once_(deps.logger) {}

  void Get(const Request& req, const Identity& id, Response& res) {
    auto plugin = PluginId(req);
    if (!plugin.ok()) return Fail(res, plugin.status());
    auto stored = deps_.store.Get(id.org_id, *plugin);
    if (!stored.ok()) return Fail(res, stored.status());
    resources::PluginSetting fresh;
    fresh.org_id = id.org_id;
    fresh.plugin_id = *plugin;
    WriteJson(res, 200, ToJson(stored->value_or(fresh)));
  }

  void Post(const Request& req, const Identity& id, Response& res) {
    auto plugin = PluginId(req);
    if (!plugin.ok()) return Fail(res, plugin.status());
    auto command = ParseCommand(req, deps_.manager);
    if (!command.ok()) return Fail(res, command.status());
    auto saved = deps_.store.Save(id.org_id, *plugin, *command);
    if (!saved.ok()) return Fail(res, saved.status());
    WriteJson(res, 200, {{"message", "Plugin settings updated"}});
  }

 private:
  json ToJson(const resources::PluginSetting& s) {
    auto fields = resources::ComputeSecureJsonFields(deps_.manager, s.secure_json_data);
    if (!fields.error.ok()) {
      warn_once_.Warn("plugin_setting:" + s.plugin_id + ":" + fields.error.message(),
                      "Plugin setting secrets cannot be decrypted; secureJsonFields left empty",
                      {{"plugin_id", s.plugin_id}, {"reason", fields.error.message()}});
    }
    json json_data = json::parse(s.json_data, nullptr, /*allow_exceptions=*/false);
    return {{"id", s.plugin_id}, {"orgId", s.org_id}, {"enabled", s.enabled}, {"pinned", s.pinned},
            {"jsonData", json_data.is_object() ? json_data : json::object()},
            {"secureJsonFields", fields.fields.empty() ? json::object() : json(fields.fields)},
            {"pluginVersion", s.plugin_version}};
  }
  void Fail(Response& res, const Status& s) { WriteStatusError(res, s, deps_.logger, "api", "Plugin settings failed"); }

  PluginSettingApiDeps deps_;
  WarnOnce warn_once_;
};

}  // namespace

void AddPluginSettingRoutes(Router& router, const Authenticator& auth, PluginSettingApiDeps deps) {
  auto h = std::make_shared<PluginSettingHandlers>(deps);
  router.Add("GET", "/api/plugins/:pluginId/settings",
             RequireRole(auth, OrgRole::kViewer,
                         [h](const Request& q, const Identity& id, Response& res) { h->Get(q, id, res); }));
  router.Add("POST", "/api/plugins/:pluginId/settings",
             RequireRole(auth, OrgRole::kAdmin,
                         [h](const Request& q, const Identity& id, Response& res) { h->Post(q, id, res); }));
}

}  // namespace md::api
