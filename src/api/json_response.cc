#include "api/json_response.h"

namespace md::api {

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void WriteError(httplib::Response& res, int status, std::string_view message) {
  WriteJson(res, status, nlohmann::json{{"message", message}});
}

std::string_view DefaultErrorMessage(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Unauthorized";
    case 403: return "Permission denied";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 408: return "Request timeout";
    case 413: return "Request body too large";
    case 414: return "URI too long";
    case 416: return "Range not satisfiable";
    case 503: return "Service unavailable";
    default: return status < 500 ? "Bad request" : "Internal server error";
  }
}

}  // namespace md::api
