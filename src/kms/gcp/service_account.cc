#include "kms/gcp/service_account.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

namespace md::kms::gcp {
namespace {

// Wipes every string in a parsed document (the key file holds the private key).
void Wipe(nlohmann::json& json) {
  if (json.is_string()) {
    std::string& s = json.get_ref<std::string&>();
    CleanseMemory(s.data(), s.size());
  } else if (json.is_structured()) {
    for (nlohmann::json& child : json) Wipe(child);
  }
}

Result<std::string> StringField(const nlohmann::json& json, const char* name, bool required) {
  if (!json.contains(name) || json[name].is_null()) {
    if (required) return InvalidArgumentError(std::string("the credentials have no ") + name);
    return std::string();
  }
  if (!json[name].is_string() || (required && json[name].get_ref<const std::string&>().empty())) {
    return InvalidArgumentError(std::string("the credentials' ") + name + " is not a non-empty string");
  }
  return json[name].get<std::string>();
}

Result<ServiceAccountKey> FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidArgumentError("the credentials are not a JSON object");
  if (json.contains("type") && json["type"] != "service_account") {
    return InvalidArgumentError("the credentials are not a service-account key (type must be service_account)");
  }
  ServiceAccountKey key;
  ASSIGN_OR_RETURN(key.client_email, StringField(json, "client_email", true));
  ASSIGN_OR_RETURN(key.private_key_id, StringField(json, "private_key_id", false));
  ASSIGN_OR_RETURN(key.token_uri, StringField(json, "token_uri", false));
  ASSIGN_OR_RETURN(std::string pem, StringField(json, "private_key", true));
  key.private_key_pem = SecretBytes(std::string_view(pem));
  CleanseMemory(pem.data(), pem.size());
  return key;
}

}  // namespace

Result<ServiceAccountKey> ParseServiceAccountKey(ByteView text) {
  nlohmann::json json = nlohmann::json::parse(AsString(text), nullptr, false);
  if (json.is_discarded()) return InvalidArgumentError("the credentials are not valid JSON");
  Result<ServiceAccountKey> key = FromJson(json);
  Wipe(json);
  return key;
}

Result<ServiceAccountKey> LoadServiceAccountKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read " + path);
  SecretBytes text;
  std::string chunk(4096, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    std::size_t old = text.size();
    text.resize(old + static_cast<std::size_t>(in.gcount()));
    std::copy(chunk.begin(), chunk.begin() + in.gcount(), text.data() + old);
    if (text.size() > (1u << 20)) return InvalidArgumentError(path + " is larger than 1 MiB");
  }
  CleanseMemory(chunk.data(), chunk.size());
  return ParseServiceAccountKey(text.view());
}

}  // namespace md::kms::gcp
