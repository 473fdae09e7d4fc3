#include "config/values.h"

#include <cctype>
#include <charconv>
#include <utility>

namespace md::config {
namespace {

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Nanoseconds per unit, or 0 when unit is unknown.
double UnitNanos(std::string_view unit) {
  static const std::pair<std::string_view, double> kUnits[] = {
      {"ns", 1.0}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"\xCE\xBCs", 1e3}, {"ms", 1e6},
      {"s", 1e9},  {"m", 60e9}, {"h", 3600e9}};
  for (const auto& [name, nanos] : kUnits) {
    if (unit == name) {
      return nanos;
    }
  }
  return 0;
}

bool IsNumberChar(char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string_view s = TrimBlanks(text);
  if (s == "0" || s == "+0") {
    return std::chrono::milliseconds(0);
  }
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  if (s.empty()) {
    return std::nullopt;
  }
  double total_nanos = 0;
  while (!s.empty()) {
    size_t n = 0;
    while (n < s.size() && IsNumberChar(s[n])) {
      ++n;
    }
    size_t u = n;
    while (u < s.size() && !IsNumberChar(s[u])) {
      ++u;
    }
    const std::string number(s.substr(0, n));
    const double unit = UnitNanos(s.substr(n, u - n));
    if (number.empty() || number == "." || unit == 0 ||
        number.find('.') != number.rfind('.')) {
      return std::nullopt;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size()) {
      return std::nullopt;
    }
    total_nanos += value * unit;
    s.remove_prefix(u);
  }
  if (total_nanos > 9.2e18) {
    return std::nullopt;  // beyond Go's int64 nanoseconds
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_nanos / 1e6));
}

std::optional<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max) {
  std::string_view s = TrimBlanks(text);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> ParseByteSize(std::string_view text) {
  std::string s = ToLower(TrimBlanks(text));
  int64_t multiplier = 1;
  static const std::pair<std::string_view, int64_t> kSuffixes[] = {
      {"gb", int64_t{1} << 30}, {"mb", int64_t{1} << 20}, {"kb", int64_t{1} << 10}, {"b", 1}};
  for (const auto& [suffix, factor] : kSuffixes) {
    if (s.ends_with(suffix)) {
      s.resize(s.size() - suffix.size());
      multiplier = factor;
      break;
    }
  }
  const auto number = ParseInt(s, 0, (int64_t{1} << 62) / multiplier);
  if (!number) {
    return std::nullopt;
  }
  return *number * multiplier;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  for (const char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) {
        items.push_back(std::move(current));
        current.clear();
      }
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) {
    items.push_back(std::move(current));
  }
  return items;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace md::config
