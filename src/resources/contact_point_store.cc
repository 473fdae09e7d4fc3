#include "resources/contact_point_store.h"

#include <openssl/evp.h>

#include <ctime>

#include "common/encoding.h"
#include "crypto/storage_encoding.h"
#include "resources/data_source_store.h"

namespace md::resources {
namespace {

using nlohmann::json;
constexpr char kNotFound[] = "contact point not found";
constexpr char kIntegrations[] = "grafana_managed_receiver_configs";

json& Receivers(json& config) { return config["alertmanager_config"]["receivers"]; }

Result<ContactPoint> FromIntegration(const json& integration) {
  ContactPoint cp;
  try {
    cp.uid = integration.value("uid", "");
    cp.name = integration.value("name", "");
    cp.type = integration.value("type", "");
    cp.disable_resolve_message = integration.value("disableResolveMessage", false);
    cp.settings = integration.value("settings", json::object());
    const json secure = integration.value("secureSettings", json::object());
    for (const auto& [key, value] : secure.items()) {
      ASSIGN_OR_RETURN(cp.secure_settings[key],
                       crypto::DecodeStored(value.get<std::string>(), crypto::StorageEncoding::kBase64Padded));
    }
  } catch (const json::exception&) {
    return DataLossError("contact point " + cp.uid + ": unreadable integration in alert_configuration");
  }
  return cp;
}

json ToIntegration(const ContactPoint& cp) {
  json secure = json::object();
  for (const auto& [key, blob] : cp.secure_settings) {
    secure[key] = crypto::EncodeForStorage(blob, crypto::StorageEncoding::kBase64Padded);
  }
  return {{"uid", cp.uid}, {"name", cp.name}, {"type", cp.type},
          {"disableResolveMessage", cp.disable_resolve_message}, {"settings", cp.settings},
          {"secureSettings", secure}};
}

// Where an integration sits: receivers[r][kIntegrations][i].
struct Position {
  size_t receiver = 0;
  size_t index = 0;
};

std::optional<Position> Find(const json& receivers, const std::string& uid) {
  for (size_t r = 0; r < receivers.size(); ++r) {
    const json& list = receivers[r].value(kIntegrations, json::array());
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i].value("uid", "") == uid) return Position{r, i};
    }
  }
  return std::nullopt;
}

void AddToReceiver(json& receivers, const ContactPoint& cp) {
  for (json& receiver : receivers) {
    if (receiver.value("name", "") == cp.name) {
      receiver[kIntegrations].push_back(ToIntegration(cp));
      return;
    }
  }
  receivers.push_back({{"name", cp.name}, {kIntegrations, json::array({ToIntegration(cp)})}});
}

// Removes the integration; drops its receiver when that becomes empty (except "default").
void RemoveAt(json& receivers, const Position& at) {
  json& list = receivers[at.receiver][kIntegrations];
  list.erase(at.index);
  if (list.empty() && receivers[at.receiver].value("name", "") != "default") {
    receivers.erase(at.receiver);
  }
}

void Apply(ContactPoint& cp, const ContactPointCommand& command) {
  cp.name = command.name;
  cp.type = command.type;
  cp.disable_resolve_message = command.disable_resolve_message;
  cp.settings = command.settings;
  for (const auto& key : command.cleared) cp.secure_settings.erase(key);
  for (const auto& [key, blob] : command.secrets) cp.secure_settings[key] = blob;
}

std::string Md5Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr);
  return HexEncode(ByteView(digest, size));
}

}  // namespace

json DefaultAlertmanagerConfiguration() {
  return {{"alertmanager_config",
           {{"route", {{"receiver", "default"}}},
            {"receivers", json::array({{{"name", "default"}, {kIntegrations, json::array()}}})}}}};
}

Result<ContactPointStore::Loaded> ContactPointStore::Load(soci::session& session, int64_t org_id) {
  Loaded loaded;
  std::string text;
  try {
    session << "SELECT id, alertmanager_configuration FROM alert_configuration WHERE org_id = " +
                   std::to_string(org_id) + " ORDER BY id DESC LIMIT 1",
        soci::into(loaded.row_id), soci::into(text);
    if (!session.got_data()) loaded.row_id = 0;
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading alert_configuration");
  }
  loaded.config = loaded.row_id == 0 ? DefaultAlertmanagerConfiguration()
                                     : json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!loaded.config.is_object()) return DataLossError("alert_configuration is not a JSON object");
  json& receivers = Receivers(loaded.config);
  if (receivers.is_null()) receivers = json::array();
  if (!receivers.is_array()) return DataLossError("alert_configuration receivers is not an array");
  return loaded;
}

void ContactPointStore::Save(soci::session& session, int64_t org_id, const Loaded& loaded) {
  const std::string text = loaded.config.dump();
  const std::string hash = Md5Hex(text);
  if (loaded.row_id != 0) {
    session << "UPDATE alert_configuration SET alertmanager_configuration = :c, configuration_hash = :h "
               "WHERE id = " + std::to_string(loaded.row_id),
        soci::use(text, "c"), soci::use(hash, "h");
    return;
  }
  session << "INSERT INTO alert_configuration (alertmanager_configuration, configuration_version, "
             "created_at, " + db_.Quote("default") + ", org_id, configuration_hash) VALUES (:c, 'v1', " +
                 std::to_string(std::time(nullptr)) + ", " + db_.BoolLiteral(false) + ", " +
                 std::to_string(org_id) + ", :h)",
      soci::use(text, "c"), soci::use(hash, "h");
}

Status ContactPointStore::Edit(int64_t org_id, const std::function<Status(json& receivers)>& edit) {
  return db_.InTransaction([&](soci::session& session) -> Status {
    ASSIGN_OR_RETURN(Loaded loaded, Load(session, org_id));
    if (Status s = edit(Receivers(loaded.config)); !s.ok()) return s;
    Save(session, org_id, loaded);
    return OkStatus();
  }, /*write_lock=*/true);
}

Result<std::vector<ContactPoint>> ContactPointStore::List(int64_t org_id) {
  auto session = db_.Lease();
  ASSIGN_OR_RETURN(Loaded loaded, Load(*session, org_id));
  std::vector<ContactPoint> out;
  for (const json& receiver : Receivers(loaded.config)) {
    for (const json& integration : receiver.value(kIntegrations, json::array())) {
      ASSIGN_OR_RETURN(ContactPoint cp, FromIntegration(integration));
      if (cp.name.empty()) cp.name = receiver.value("name", "");
      out.push_back(std::move(cp));
    }
  }
  return out;
}

Result<ContactPoint> ContactPointStore::Get(int64_t org_id, const std::string& uid) {
  ASSIGN_OR_RETURN(auto all, List(org_id));
  for (ContactPoint& cp : all) {
    if (cp.uid == uid) return std::move(cp);
  }
  return NotFoundError(kNotFound);
}

Result<ContactPoint> ContactPointStore::Create(int64_t org_id, const ContactPointCommand& command) {
  ContactPoint cp;
  cp.uid = command.uid.empty() ? GenerateUid() : command.uid;
  Apply(cp, command);
  Status s = Edit(org_id, [&](json& receivers) -> Status {
    if (Find(receivers, cp.uid)) return AlreadyExistsError("contact point with the same uid already exists");
    AddToReceiver(receivers, cp);
    return OkStatus();
  });
  if (!s.ok()) return s;
  return cp;
}

Result<ContactPoint> ContactPointStore::Update(int64_t org_id, const std::string& uid,
                                               const ContactPointCommand& command) {
  ContactPoint cp;
  Status s = Edit(org_id, [&](json& receivers) -> Status {
    auto at = Find(receivers, uid);
    if (!at) return NotFoundError(kNotFound);
    ASSIGN_OR_RETURN(cp, FromIntegration(receivers[at->receiver][kIntegrations][at->index]));
    Apply(cp, command);
    RemoveAt(receivers, *at);
    AddToReceiver(receivers, cp);
    return OkStatus();
  });
  if (!s.ok()) return s;
  return cp;
}

Status ContactPointStore::Delete(int64_t org_id, const std::string& uid) {
  return Edit(org_id, [&](json& receivers) -> Status {
    auto at = Find(receivers, uid);
    if (!at) return NotFoundError(kNotFound);
    RemoveAt(receivers, *at);
    return OkStatus();
  });
}

}  // namespace md::resources
