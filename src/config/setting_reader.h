// SettingReader: typed reads of one merged IniFile. Each read returns InvalidArgument with a
// one-line message naming section.key, the value (or "(hidden)" for secrets) and what is expected:
//   invalid value "abc" for server.http_port: expected an integer from 1 to 65535
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/ini_file.h"

namespace md::config {

class SettingReader {
 public:
  explicit SettingReader(const IniFile& ini) : ini_(ini) {}

  // The value, or fallback when the key is absent.
  std::string String(const std::string& section, const std::string& key,
                     const std::string& fallback = "") const;
  bool Has(const std::string& section, const std::string& key) const;
  // Has and not empty. The typed reads below keep `out` unchanged when the value is absent or
  // empty, so an empty value means "the built-in default".
  bool Present(const std::string& section, const std::string& key) const;

  Status Int(const std::string& section, const std::string& key, int64_t min, int64_t max,
             int64_t& out) const;
  Status Duration(const std::string& section, const std::string& key, bool allow_zero,
                  std::chrono::milliseconds& out) const;
  Status ByteSize(const std::string& section, const std::string& key, int64_t& out) const;
  // The value lower-cased must be one of allowed.
  Status OneOf(const std::string& section, const std::string& key,
               std::initializer_list<std::string_view> allowed, std::string& out) const;

  // The error for a bad value of section.key.
  static Status Invalid(const std::string& section, const std::string& key,
                        const std::string& value, const std::string& expected);

 private:
  const IniFile& ini_;
};

}  // namespace md::config
