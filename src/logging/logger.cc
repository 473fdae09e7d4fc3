#include "logging/logger.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

namespace md::logging {
namespace {

std::string Timestamp(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof(millis), ".%03dZ", static_cast<int>(ms.count() % 1000));
  return std::string(buf, n) + millis;
}

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) {
    return true;
  }
  for (const char c : value) {
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\u%04x", c);
          out += hex;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void AppendPair(std::string& line, std::string_view key, std::string_view value, bool quote) {
  line += ' ';
  line += key;
  line += '=';
  line += quote || NeedsQuotes(value) ? Quote(value) : std::string(value);
}

// Collects lines in memory (tests).
class VectorSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit VectorSink(std::vector<std::string>* out) : out_(out) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    out_->emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string>* out_;
};

}  // namespace

Result<Level> ParseLevel(std::string_view text) {
  for (const Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(level)) {
      return level;
    }
  }
  return InvalidArgumentError("unknown log level \"" + std::string(text) + "\"");
}

Result<Format> ParseFormat(std::string_view text) {
  if (text == "logfmt") {
    return Format::kLogfmt;
  }
  if (text == "json") {
    return Format::kJson;
  }
  return InvalidArgumentError("unknown log format \"" + std::string(text) + "\"");
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string FormatLine(Format format, std::chrono::system_clock::time_point time, Level level,
                       std::string_view logger, std::string_view msg, const Fields& fields) {
  if (format == Format::kJson) {
    nlohmann::ordered_json line = {{"t", Timestamp(time)}, {"level", LevelName(level)},
                                   {"logger", logger}, {"msg", msg}};
    for (const auto& [key, value] : fields) {
      line[key] = value;
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line = "t=" + Timestamp(time);
  AppendPair(line, "level", LevelName(level), false);
  AppendPair(line, "logger", logger, false);
  AppendPair(line, "msg", msg, true);
  for (const auto& [key, value] : fields) {
    AppendPair(line, key, value, false);
  }
  return line;
}

Logger::Logger(Format format, Level min_level, std::shared_ptr<spdlog::logger> sink)
    : format_(format), min_level_(min_level), spd_(std::move(sink)) {
  spd_->set_pattern("%v");
  spd_->set_level(spdlog::level::trace);
  spd_->flush_on(spdlog::level::trace);
}

Logger::~Logger() = default;

std::unique_ptr<Logger> Logger::NewStderr(Format format, Level min_level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return std::unique_ptr<Logger>(
      new Logger(format, min_level, std::make_shared<spdlog::logger>("md", std::move(sink))));
}

std::unique_ptr<Logger> Logger::NewForTest(Format format, Level min_level,
                                           std::vector<std::string>* out) {
  auto sink = std::make_shared<VectorSink>(out);
  return std::unique_ptr<Logger>(
      new Logger(format, min_level, std::make_shared<spdlog::logger>("md", std::move(sink))));
}

void Logger::Log(Level level, std::string_view logger, std::string_view msg,
                 const Fields& fields) const {
  if (!Enabled(level)) {
    return;
  }
  const std::string line =
      FormatLine(format_, std::chrono::system_clock::now(), level, logger, msg, fields);
  spd_->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace md::logging
