// JSON bodies: every API error is {"message": "..."} with Content-Type application/json
// (Grafana's response.Error shape).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace md::api {

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body);
void WriteError(httplib::Response& res, int status, std::string_view message);

// The default message for an error status without a body ("Not found", "Method not allowed", ...).
std::string_view DefaultErrorMessage(int status);

}  // namespace md::api
