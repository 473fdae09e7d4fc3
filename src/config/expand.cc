// $__env{VAR} and $__file{path} expansion (Grafana's evalConfigValues).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/raw_config.h"

namespace md::config {
namespace {

std::string TrimBlanks(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return "";
  }
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

Result<std::string> FileContent(const std::string& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgumentError("cannot expand $__file{" + path + "} in " + name + ": " +
                                std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return TrimBlanks(text.str());
}

}  // namespace

Result<std::string> ExpandValue(const std::string& value, const std::string& name,
                                const std::map<std::string, std::string>& environment) {
  std::string out;
  size_t pos = 0;
  while (pos < value.size()) {
    const size_t start = value.find("$__", pos);
    const size_t open = start == std::string::npos ? start : value.find('{', start);
    const size_t close = open == std::string::npos ? open : value.find('}', open);
    if (close == std::string::npos) {
      out.append(value, pos, std::string::npos);
      break;
    }
    out.append(value, pos, start - pos);
    const std::string kind = value.substr(start + 3, open - start - 3);
    const std::string arg = TrimBlanks(value.substr(open + 1, close - open - 1));
    if (kind == "env") {
      const auto it = environment.find(arg);
      out += it == environment.end() ? "" : it->second;
    } else if (kind == "file") {
      ASSIGN_OR_RETURN(const std::string content, FileContent(arg, name));
      out += content;
    } else {
      return InvalidArgumentError("unsupported expansion $__" + kind + "{...} in " + name +
                                  ": expected $__env{VAR} or $__file{path}");
    }
    pos = close + 1;
  }
  return out;
}

}  // namespace md::config
