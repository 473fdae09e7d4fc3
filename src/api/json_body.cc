#include "api/json_body.h"

#include <charconv>

namespace md::api {
namespace {

using nlohmann::json;

const json* Field(const json& body, std::string_view field) {
  auto it = body.find(std::string(field));
  return (it == body.end() || it->is_null()) ? nullptr : &*it;
}

Status TypeError(std::string_view field, const char* type) {
  return InvalidArgumentError(std::string(field) + " must be " + type);
}

}  // namespace

Result<json> ParseJsonObject(std::string_view body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgumentError("bad request data: the body is not valid JSON");
  if (!parsed.is_object()) return InvalidArgumentError("bad request data: expected a JSON object");
  return parsed;
}

Result<std::optional<std::string>> OptionalString(const json& body, std::string_view field) {
  const json* value = Field(body, field);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return TypeError(field, "a string");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::string> RequiredString(const json& body, std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (!value || value->empty()) return InvalidArgumentError(std::string(field) + " is required");
  return *value;
}

Result<std::optional<bool>> OptionalBool(const json& body, std::string_view field) {
  const json* value = Field(body, field);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return TypeError(field, "a boolean");
  return std::optional<bool>(value->get<bool>());
}

Result<bool> RequiredBool(const json& body, std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<bool> value, OptionalBool(body, field));
  if (!value) return InvalidArgumentError(std::string(field) + " is required");
  return *value;
}

Result<std::optional<int64_t>> OptionalInteger(const json& body, std::string_view field) {
  const json* value = Field(body, field);
  if (value == nullptr) return std::optional<int64_t>();
  if (!value->is_number_integer()) return TypeError(field, "an integer");
  if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError(std::string(field) + " is too large");
  }
  return std::optional<int64_t>(value->get<int64_t>());
}

Result<int64_t> PositiveId(std::string_view text, std::string_view name) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return InvalidArgumentError(std::string(name) + " is invalid");
  }
  return id;
}

Status ReadString(const json& object, const char* key, std::string& out) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(object, key));
  if (value) out = std::move(*value);
  return OkStatus();
}

Status ReadBool(const json& object, const char* key, bool& out) {
  ASSIGN_OR_RETURN(std::optional<bool> value, OptionalBool(object, key));
  if (value) out = *value;
  return OkStatus();
}

Status ReadInt(const json& object, const char* key, std::optional<int>& out) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInteger(object, key));
  if (!value) return OkStatus();
  if (*value < 0 || *value > 2147483647) return TypeError(key, "a non-negative 32-bit integer");
  out = static_cast<int>(*value);
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
  for (const auto& item : v->items()) {
    if (!item.value().is_string()) {
      return InvalidArgumentError(std::string(key) + "." + item.key() + " must be a string");
    }
    out[item.key()] = item.value().get<std::string>();
  }
  return OkStatus();
}

Status RequireString(const json& object, const char* key, std::string& out) {
  ASSIGN_OR_RETURN(out, RequiredString(object, key));
  return OkStatus();
}

}  // namespace md::api
