// Logger: structured log lines (logfmt or JSON) written through spdlog, one line per event.
//   t=2026-11-22T10:00:00.000Z level=info logger=server msg="HTTP server listening" address=0.0.0.0:3000
//   {"t":"2026-11-22T10:00:00.000Z","level":"info","logger":"server","msg":"...","address":"..."}
// Built once in exe/ and passed down (no global logger). Thread-safe.
// Never pass a secret (key, password, token, request body, Authorization header) as a field.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace spdlog {
class logger;
}

namespace md::logging {

enum class Level { kDebug = 0, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

using Fields = std::vector<std::pair<std::string, std::string>>;

// "debug" | "info" | "warn" | "error"; InvalidArgument otherwise.
Result<Level> ParseLevel(std::string_view text);
// "logfmt" | "json"; InvalidArgument otherwise.
Result<Format> ParseFormat(std::string_view text);
std::string_view LevelName(Level level);

// One formatted line without the trailing newline.
std::string FormatLine(Format format, std::chrono::system_clock::time_point time, Level level,
                       std::string_view logger, std::string_view msg, const Fields& fields);

class Logger {
 public:
  // Writes to stderr.
  static std::unique_ptr<Logger> NewStderr(Format format, Level min_level);
  // Writes each line to out (tests).
  static std::unique_ptr<Logger> NewForTest(Format format, Level min_level,
                                            std::vector<std::string>* out);
  ~Logger();

  bool Enabled(Level level) const { return level >= min_level_; }
  void Log(Level level, std::string_view logger, std::string_view msg,
           const Fields& fields = {}) const;
  void Debug(std::string_view logger, std::string_view msg, const Fields& fields = {}) const {
    Log(Level::kDebug, logger, msg, fields);
  }
  void Info(std::string_view logger, std::string_view msg, const Fields& fields = {}) const {
    Log(Level::kInfo, logger, msg, fields);
  }
  void Warn(std::string_view logger, std::string_view msg, const Fields& fields = {}) const {
    Log(Level::kWarn, logger, msg, fields);
  }
  void Error(std::string_view logger, std::string_view msg, const Fields& fields = {}) const {
    Log(Level::kError, logger, msg, fields);
  }

 private:
  Logger(Format format, Level min_level, std::shared_ptr<spdlog::logger> sink);

  Format format_;
  Level min_level_;
  std::shared_ptr<spdlog::logger> spd_;
};

}  // namespace md::logging
