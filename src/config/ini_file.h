// IniFile: the sections and keys of Grafana-style INI text (go-ini rules as Grafana uses them).
//   [section]            section names keep their case; keys before any header go to section ""
//   key = value          surrounding blanks trimmed; `;` or `#` starts a comment, also inline
//   key = """a;b#c"""    triple quotes keep `;`/`#` and may span lines; "..." and `...` are unquoted
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace md::config {

class IniFile {
 public:
  // Parses text; origin (a file name) only appears in error messages ("<origin>:<line>: ...").
  static Result<IniFile> Parse(std::string_view text, std::string_view origin);

  bool HasSection(const std::string& section) const;
  // Returns nullptr when absent.
  const std::string* Get(const std::string& section, const std::string& key) const;
  void Set(const std::string& section, const std::string& key, std::string value);
  // Applies every key of other on top of this one.
  void Merge(const IniFile& other);

  // Sections in the order first seen.
  const std::vector<std::string>& sections() const { return order_; }
  const std::map<std::string, std::string>& Keys(const std::string& section) const;

 private:
  std::vector<std::string> order_;
  std::map<std::string, std::map<std::string, std::string>> sections_;
};

}  // namespace md::config
