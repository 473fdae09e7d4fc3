// GET /api/health (Grafana's shape): 200 {"commit":"...","database":"ok","version":"..."}, or 503
// with "database":"failing" when the database does not answer.
#pragma once

#include <functional>
#include <string>

#include "api/router.h"
#include "common/status.h"
#include "logging/logger.h"

namespace md::api {

struct BuildInfo {
  std::string version;
  std::string commit;
};

// ping is called on every request (e.g. [&db] { return db.Ping(); }).
Handler NewHealthHandler(std::function<Status()> ping, BuildInfo build,
                         const logging::Logger& logger);

}  // namespace md::api
