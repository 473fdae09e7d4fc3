#include "api/warn_once.h"

namespace md::api {

void WarnOnce::Warn(const std::string& key, std::string_view msg, const logging::Fields& fields) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!seen_.insert(key).second) return;
  }
  logger_.Warn("resources", msg, fields);
}

}  // namespace md::api
