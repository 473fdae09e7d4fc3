// Reading request bodies: a JSON object and its typed fields, with 400-ready messages that name
// the field ("login must be a string", "password is required"). Never echoes a field's value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace md::api {

// InvalidArgument "bad request data: the body is not valid JSON" / "...: expected a JSON object".
Result<nlohmann::json> ParseJsonObject(std::string_view body);

// nullopt when absent or null; InvalidArgument "<field> must be a string" for another type.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, std::string_view field);
// As OptionalString, and InvalidArgument "<field> is required" when absent, null or empty.
Result<std::string> RequiredString(const nlohmann::json& body, std::string_view field);
// nullopt when absent or null; InvalidArgument "<field> must be a boolean" otherwise.
Result<std::optional<bool>> OptionalBool(const nlohmann::json& body, std::string_view field);
// InvalidArgument "<field> is required" / "<field> must be a boolean".
Result<bool> RequiredBool(const nlohmann::json& body, std::string_view field);
// nullopt when absent or null; InvalidArgument "<field> must be an integer" otherwise.
Result<std::optional<int64_t>> OptionalInteger(const nlohmann::json& body, std::string_view field);

// A positive integer path parameter; InvalidArgument "<name> is invalid".
Result<int64_t> PositiveId(std::string_view text, std::string_view name);

// Readers that fill an existing field of a command and leave it untouched when the key is absent
// or null (the update forms of the data source and plugin APIs).
Status ReadString(const nlohmann::json& object, const char* key, std::string& out);
Status ReadBool(const nlohmann::json& object, const char* key, bool& out);
// A non-negative 32-bit integer.
Status ReadInt(const nlohmann::json& object, const char* key, std::optional<int>& out);
// A JSON object, kept as compact text.
Status ReadObjectText(const nlohmann::json& object, const char* key, std::string& out);
// An object whose values are strings (secureJsonData).
Status ReadStringMap(const nlohmann::json& object, const char* key,
                     std::map<std::string, std::string>& out);
// As RequiredString, into `out`.
Status RequireString(const nlohmann::json& object, const char* key, std::string& out);

}  // namespace md::api
