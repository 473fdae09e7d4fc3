#include "api/json_body.h"

#include <charconv>

namespace md::api {
namespace {

const nlohmann::json* Field(const nlohmann::json& body, std::string_view field) {
  auto it = body.find(std::string(field));
  return (it == body.end() || it->is_null()) ? nullptr : &*it;
}

}  // namespace

Result<nlohmann::json> ParseJsonObject(std::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return InvalidArgumentError("invalid JSON body");
  }
  if (!parsed.is_object()) {
    return InvalidArgumentError("the body must be a JSON object");
  }
  return parsed;
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, std::string_view field) {
  const nlohmann::json* value = Field(body, field);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return InvalidArgumentError(std::string(field) + " must be a string");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::string> RequiredString(const nlohmann::json& body, std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (!value || value->empty()) return InvalidArgumentError(std::string(field) + " is required");
  return *value;
}

Result<bool> RequiredBool(const nlohmann::json& body, std::string_view field) {
  const nlohmann::json* value = Field(body, field);
  if (value == nullptr) return InvalidArgumentError(std::string(field) + " is required");
  if (!value->is_boolean()) return InvalidArgumentError(std::string(field) + " must be a boolean");
  return value->get<bool>();
}

Result<std::optional<int64_t>> OptionalInteger(const nlohmann::json& body, std::string_view field) {
  const nlohmann::json* value = Field(body, field);
  if (value == nullptr) return std::optional<int64_t>();
  if (!value->is_number_integer()) return InvalidArgumentError(std::string(field) + " must be an integer");
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

}  // namespace md::api
