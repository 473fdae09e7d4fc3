#include "config/setting_reader.h"

#include "config/raw_config.h"
#include "config/values.h"

namespace md::config {

std::string SettingReader::String(const std::string& section, const std::string& key,
                                  const std::string& fallback) const {
  const std::string* value = ini_.Get(section, key);
  return value == nullptr ? fallback : *value;
}

bool SettingReader::Has(const std::string& section, const std::string& key) const {
  return ini_.Get(section, key) != nullptr;
}

bool SettingReader::Present(const std::string& section, const std::string& key) const {
  const std::string* value = ini_.Get(section, key);
  return value != nullptr && !value->empty();
}

Status SettingReader::Invalid(const std::string& section, const std::string& key,
                              const std::string& value, const std::string& expected) {
  const std::string shown = IsSecretKey(key) ? "(hidden)" : "\"" + value + "\"";
  return InvalidArgumentError("invalid value " + shown + " for " + section + "." + key +
                              ": expected " + expected);
}

Status SettingReader::Int(const std::string& section, const std::string& key, int64_t min,
                          int64_t max, int64_t& out) const {
  if (!Present(section, key)) {
    return OkStatus();
  }
  const std::string value = String(section, key);
  const auto parsed = ParseInt(value, min, max);
  if (!parsed) {
    return Invalid(section, key, value,
                   "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = *parsed;
  return OkStatus();
}

Status SettingReader::Duration(const std::string& section, const std::string& key,
                               bool allow_zero, std::chrono::milliseconds& out) const {
  if (!Present(section, key)) {
    return OkStatus();
  }
  const std::string value = String(section, key);
  const auto parsed = ParseDuration(value);
  if (!parsed || (!allow_zero && parsed->count() <= 0)) {
    return Invalid(section, key, value,
                   std::string(allow_zero ? "" : "a positive ") +
                       (allow_zero ? "a duration" : "duration") +
                       " such as 500ms, 10s, 15m or 1h30m" + (allow_zero ? " (or 0)" : ""));
  }
  out = *parsed;
  return OkStatus();
}

Status SettingReader::ByteSize(const std::string& section, const std::string& key,
                               int64_t& out) const {
  if (!Present(section, key)) {
    return OkStatus();
  }
  const std::string value = String(section, key);
  const auto parsed = ParseByteSize(value);
  if (!parsed || *parsed <= 0) {
    return Invalid(section, key, value, "a positive size in bytes, optionally with KB, MB or GB");
  }
  out = *parsed;
  return OkStatus();
}

Status SettingReader::OneOf(const std::string& section, const std::string& key,
                            std::initializer_list<std::string_view> allowed,
                            std::string& out) const {
  if (!Present(section, key)) {
    return OkStatus();
  }
  const std::string value = String(section, key);
  const std::string lower = ToLower(value);
  std::string expected;
  for (const std::string_view option : allowed) {
    if (lower == option) {
      out = lower;
      return OkStatus();
    }
    expected += (expected.empty() ? "" : ", ") + std::string(option);
  }
  return Invalid(section, key, value, "one of " + expected);
}

}  // namespace md::config
