#include "api/error_mapping.h"

#include "api/json_response.h"

namespace md::api {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

void WriteStatusError(httplib::Response& res, const Status& status, std::string_view what,
                      const logging::Logger& logger) {
  const int code = HttpStatusFor(status);
  if (code < 500) {
    WriteError(res, code, status.message());
    return;
  }
  logger.Error("api", std::string(what) + " failed", {{"error", status.message()}});
  WriteError(res, code, std::string(what) + " failed");
}

}  // namespace md::api
