#include "api/error_mapping.h"

#include "api/json_response.h"

namespace md::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

void WriteStatusError(Response& res, const Status& status, const logging::Logger& logger,
                      std::string_view logger_name, std::string_view failure_message) {
  const int code = HttpStatusFor(status.code());
  if (code >= 500) {
    logger.Error(logger_name, "Request failed", {{"error", status.message()}});
    WriteError(res, code, failure_message.empty() ? DefaultErrorMessage(code) : failure_message);
    return;
  }
  WriteError(res, code, status.message());
}

}  // namespace md::api
