#include "api/json_body.h"

namespace md::api {
namespace {

using nlohmann::json;

const json* Field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Status TypeError(const char* key, const char* type) {
  return InvalidArgumentError(std::string(key) + " must be " + type);
}

}  // namespace

Result<json> ParseJsonObject(const httplib::Request& request) {
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgumentError("bad request data: the body is not valid JSON");
  if (!body.is_object()) return InvalidArgumentError("bad request data: expected a JSON object");
  return body;
}

Status ReadString(const json& object, const char* key, std::string& out) {
  const json* v = Field(object, key);
  if (v == nullptr) return OkStatus();
  if (!v->is_string()) return TypeError(key, "a string");
  out = v->get<std::string>();
  return OkStatus();
}

Status ReadBool(const json& object, const char* key, bool& out) {
  const json* v = Field(object, key);
  if (v == nullptr) return OkStatus();
  if (!v->is_boolean()) return TypeError(key, "a boolean");
  out = v->get<bool>();
  return OkStatus();
}

Status ReadInt(const json& object, const char* key, std::optional<int>& out) {
  const json* v = Field(object, key);
  if (v == nullptr) return OkStatus();
  if (!v->is_number_integer()) return TypeError(key, "an integer");
  const auto n = v->get<long long>();
  if (n < 0 || n > 2147483647) return TypeError(key, "a non-negative 32-bit integer");
  out = static_cast<int>(n);
  return OkStatus();
}

Status ReadObjectText(const json& object, const char* key, std::string& out) {
  const json* v = Field(object, key);
  if (v == nullptr) return OkStatus();
  if (!v->is_object()) return TypeError(key, "a JSON object");
  out = v->dump();
  return OkStatus();
}

Status ReadStringMap(const json& object, const char* key, std::map<std::string, std::string>& out) {
  const json* v = Field(object, key);
  if (v == nullptr) return OkStatus();
  if (!v->is_object()) return TypeError(key, "an object of strings");
  for (const auto& [name, value] : v->items()) {
    if (!value.is_string()) {
      return InvalidArgumentError(std::string(key) + "." + name + " must be a string");
    }
    out[name] = value.get<std::string>();
  }
  return OkStatus();
}

Status RequireString(const json& object, const char* key, std::string& out) {
  if (Status s = ReadString(object, key, out); !s.ok()) return s;
  if (out.empty()) return InvalidArgumentError(std::string(key) + " is required");
  return OkStatus();
}

}  // namespace md::api
