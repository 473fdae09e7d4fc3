// The one place that maps a Status to an HTTP error (STYLE.md §5.3): InvalidArgument 400,
// PermissionDenied 403, NotFound 404, AlreadyExists 409, Unavailable 503, anything else 500.
// Messages of 4xx errors are the Status's own (they name fields, never values); a 5xx answer
// says only `failure_message` (default "Internal server error") and the detail goes to the log.
#pragma once

#include <string_view>

#include "api/router.h"
#include "common/status.h"
#include "logging/logger.h"

namespace md::api {

int HttpStatusFor(StatusCode code);

// Writes {"message": ...} for a non-OK status; logs 5xx details under `logger_name`.
void WriteStatusError(Response& res, const Status& status, const logging::Logger& logger,
                      std::string_view logger_name, std::string_view failure_message = "");

}  // namespace md::api
