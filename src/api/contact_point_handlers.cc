#include "api/contact_point_handlers.h"

#include <memory>

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "resources/webhook_test_sender.h"

namespace md::api {
namespace {

using nlohmann::json;
using resources::ContactPoint;

// Moves the type's secret keys out of command.settings into `plain` / command.cleared.
Status SplitSecrets(resources::ContactPointCommand& command, resources::PlainSecrets& plain) {
  for (const std::string& key : resources::SecretSettingKeys(command.type)) {
    auto it = command.settings.find(key);
    if (it == command.settings.end()) continue;
    if (!it->is_string()) return InvalidArgumentError("settings." + key + " must be a string");
    const std::string value = it->get<std::string>();
    command.settings.erase(it);
    if (value == resources::kRedacted) continue;
    if (value.empty()) {
      command.cleared.insert(key);
    } else {
      plain[key] = value;
    }
  }
  return OkStatus();
}

Result<resources::ContactPointCommand> ParseCommand(const Request& req, secrets::SecretsManager& manager) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(req.http.body));
  resources::ContactPointCommand command;
  if (Status s = RequireString(body, "name", command.name); !s.ok()) return s;
  if (Status s = RequireString(body, "type", command.type); !s.ok()) return s;
  if (Status s = ReadString(body, "uid", command.uid); !s.ok()) return s;
  if (command.uid.size() > 40) return InvalidArgumentError("uid must be at most 40 characters");
  if (Status s = ReadBool(body, "disableResolveMessage", command.disable_resolve_message); !s.ok()) return s;
  std::string settings;
  if (Status s = ReadObjectText(body, "settings", settings); !s.ok()) return s;
  if (!settings.empty()) command.settings = json::parse(settings);
  resources::PlainSecrets plain;
  if (Status s = SplitSecrets(command, plain); !s.ok()) return s;
  ASSIGN_OR_RETURN(command.secrets, resources::EncryptSecrets(manager, plain));
  return command;
}

json ToJson(const ContactPoint& cp) {
  json settings = cp.settings;
  for (const auto& [key, blob] : cp.secure_settings) settings[key] = resources::kRedacted;
  return {{"uid", cp.uid}, {"name", cp.name}, {"type", cp.type}, {"settings", settings},
          {"disableResolveMessage", cp.disable_resolve_message}, {"provenance", ""}};
}

class ContactPointHandlers {
 public:
  explicit ContactPointHandlers(ContactPointApiDeps deps) : deps_(deps) {}

  void List(const Identity& id, Response& res) {
    auto all = deps_.store.List(id.org_id);
    if (!all.ok()) return Fail(res, all.status());
    json out = json::array();
    for (const ContactPoint& cp : *all) out.push_back(ToJson(cp));
    WriteJson(res, 200, out);
  }

  void Create(const Request& req, const Identity& id, Response& res) {
    auto command = ParseCommand(req, deps_.manager);
    if (!command.ok()) return Fail(res, command.status());
    auto cp = deps_.store.Create(id.org_id, *command);
    if (!cp.ok()) return Fail(res, cp.status());
    WriteJson(res, 202, ToJson(*cp));
  }

  void Update(const Request& req, const Identity& id, Response& res) {
    auto command = ParseCommand(req, deps_.manager);
    if (!command.ok()) return Fail(res, command.status());
    auto cp = deps_.store.Update(id.org_id, std::string(req.Param("uid")), *command);
    if (!cp.ok()) return Fail(res, cp.status());
    WriteJson(res, 202, {{"message", "contactpoint updated"}});
  }

  void Delete(const Request& req, const Identity& id, Response& res) {
    Status s = deps_.store.Delete(id.org_id, std::string(req.Param("uid")));
    if (!s.ok()) return Fail(res, s);
    WriteJson(res, 202, {{"message", "contactpoint deleted"}});
  }

  void Test(const Request& req, const Identity& id, Response& res) {
    auto cp = deps_.store.Get(id.org_id, std::string(req.Param("uid")));
    if (!cp.ok()) return Fail(res, cp.status());
    auto secrets = resources::DecryptSecrets(deps_.manager, cp->secure_settings);
    if (!secrets.ok()) {
      return WriteError(res, 400, "cannot decrypt the contact point's secure settings: " +
                                      secrets.status().message());
    }
    Status sent = resources::SendTestNotification(deps_.http, *cp, *secrets);
    if (!sent.ok()) return Fail(res, sent);
    WriteJson(res, 200, {{"message", "Test notification sent"}});
  }

 private:
  void Fail(Response& res, const Status& s) { WriteStatusError(res, s, deps_.logger, "api", "Contact points failed"); }
  ContactPointApiDeps deps_;
};

}  // namespace

void AddContactPointRoutes(Router& router, const Authenticator& auth, ContactPointApiDeps deps) {
  auto h = std::make_shared<ContactPointHandlers>(deps);
  const std::string base = "/api/v1/provisioning/contact-points";
  router.Add("GET", base, RequireRole(auth, OrgRole::kViewer, [h](const Request&, const Identity& id, Response& res) { h->List(id, res); }));
  router.Add("POST", base, RequireRole(auth, OrgRole::kEditor, [h](const Request& q, const Identity& id, Response& res) { h->Create(q, id, res); }));
  router.Add("PUT", base + "/:uid", RequireRole(auth, OrgRole::kEditor, [h](const Request& q, const Identity& id, Response& res) { h->Update(q, id, res); }));
  router.Add("DELETE", base + "/:uid", RequireRole(auth, OrgRole::kEditor, [h](const Request& q, const Identity& id, Response& res) { h->Delete(q, id, res); }));
  router.Add("POST", base + "/:uid/test", RequireRole(auth, OrgRole::kEditor, [h](const Request& q, const Identity& id, Response& res) { h->Test(q, id, res); }));
}

}  // namespace md::api
