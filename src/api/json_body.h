// Reading request bodies: a JSON object and its typed fields, with 400-ready messages that name
// the field ("login must be a string", "password is required"). Never echoes a field's value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace md::api {

// InvalidArgument "invalid JSON body" / "the body must be a JSON object".
Result<nlohmann::json> ParseJsonObject(std::string_view body);

// nullopt when absent or null; InvalidArgument "<field> must be a string" for another type.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, std::string_view field);
// As OptionalString, and InvalidArgument "<field> is required" when absent, null or empty.
Result<std::string> RequiredString(const nlohmann::json& body, std::string_view field);
// InvalidArgument "<field> is required" / "<field> must be a boolean".
Result<bool> RequiredBool(const nlohmann::json& body, std::string_view field);
// nullopt when absent or null; InvalidArgument "<field> must be an integer" otherwise.
Result<std::optional<int64_t>> OptionalInteger(const nlohmann::json& body, std::string_view field);

// A positive integer path parameter; InvalidArgument "<name> is invalid".
Result<int64_t> PositiveId(std::string_view text, std::string_view name);

}  // namespace md::api
