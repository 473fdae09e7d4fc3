// Reading request bodies: a JSON object, and its fields with type checks whose errors name the
// field ("basicAuth must be a boolean"). Errors are InvalidArgument; values are never echoed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace md::api {

// InvalidArgument "bad request data: the body is not valid JSON" / "...: expected a JSON object".
Result<nlohmann::json> ParseJsonObject(const httplib::Request& request);

// Each reader leaves `out` untouched when the key is absent or null.
Status ReadString(const nlohmann::json& object, const char* key, std::string& out);
Status ReadBool(const nlohmann::json& object, const char* key, bool& out);
Status ReadInt(const nlohmann::json& object, const char* key, std::optional<int>& out);
// A JSON object, kept as compact text.
Status ReadObjectText(const nlohmann::json& object, const char* key, std::string& out);
// An object whose values are strings (secureJsonData).
Status ReadStringMap(const nlohmann::json& object, const char* key,
                     std::map<std::string, std::string>& out);
// InvalidArgument "<key> is required" unless a non-empty string is present.
Status RequireString(const nlohmann::json& object, const char* key, std::string& out);

}  // namespace md::api
