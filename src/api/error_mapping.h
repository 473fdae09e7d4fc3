// The one place that maps Status codes to HTTP statuses (STYLE.md §5.3):
//   InvalidArgument 400, PermissionDenied 403, NotFound 404, AlreadyExists 409,
//   Unavailable 503, everything else 500.
#pragma once

#include <httplib.h>

#include "common/status.h"
#include "logging/logger.h"

namespace md::api {

int HttpStatusFor(const Status& status);

// Writes {"message": ...}: the status message for 4xx; for 5xx `what` + " failed", with the
// detail logged (messages never hold secret values, but may hold driver text).
void WriteStatusError(httplib::Response& res, const Status& status, std::string_view what,
                      const logging::Logger& logger);

}  // namespace md::api
