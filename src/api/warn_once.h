// WarnOnce: logs a warning the first time a (key) is seen in this process, so a row that cannot
// be decrypted is reported once, not on every listing. Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "logging/logger.h"

namespace md::api {

class WarnOnce {
 public:
  explicit WarnOnce(const logging::Logger& logger) : logger_(logger) {}
  // Logs msg with fields unless `key` was logged before. Never pass a secret value.
  void Warn(const std::string& key, std::string_view msg, const logging::Fields& fields);

 private:
  const logging::Logger& logger_;
  std::mutex mu_;
  std::set<std::string> seen_;  // Guarded by mu_
};

}  // namespace md::api
