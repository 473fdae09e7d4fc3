#include "api/health_handler.h"

#include "api/json_response.h"

namespace md::api {

Handler NewHealthHandler(std::function<Status()> ping, BuildInfo build,
                         const logging::Logger& logger) {
  return [ping = std::move(ping), build = std::move(build), &logger](const Request&,
                                                                      Response& res) {
    const Status status = ping();
    if (!status.ok()) {
      logger.Warn("health", "Database health check failed", {{"error", status.message()}});
    }
    res.set_header("Cache-Control", "no-store");
    WriteJson(res, status.ok() ? 200 : 503,
              {{"commit", build.commit},
               {"database", status.ok() ? "ok" : "failing"},
               {"version", build.version}});
  };
}

}  // namespace md::api
