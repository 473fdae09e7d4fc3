#include "config/load_options.h"

#include <sstream>

extern char** environ;  // NOLINT: POSIX

namespace md::config {

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const size_t eq = text.find('=');
    if (eq != std::string::npos) {
      env.emplace(text.substr(0, eq), text.substr(eq + 1));
    }
  }
  return env;
}

std::vector<std::string> SplitOverrides(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    out.push_back(item);
  }
  return out;
}

}  // namespace md::config
