#include "config/raw_config.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/values.h"

namespace md::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kProviderPrefix = "security.encryption.";

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgumentError("cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<IniFile> LoadIni(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  return IniFile::Parse(text, path);
}

struct Override {
  bool is_default = false;
  std::string section;
  std::string key;
  std::string value;
};

Result<Override> ParseOverride(const std::string& arg) {
  const auto bad = [&arg] {
    return InvalidArgumentError("invalid override \"" + arg.substr(0, arg.find('=')) +
                                "\": expected cfg:section.key=value");
  };
  if (!arg.starts_with("cfg:")) {
    return bad();
  }
  Override o;
  std::string name = arg.substr(4);
  const size_t eq = name.find('=');
  if (eq == std::string::npos) {
    return bad();
  }
  o.value = name.substr(eq + 1);
  name.resize(eq);
  if (name.starts_with("default.")) {
    o.is_default = true;
    name = name.substr(8);
  }
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
    return bad();
  }
  o.section = name.substr(0, dot);
  o.key = name.substr(dot + 1);
  return o;
}

Status ApplyOverrides(const std::vector<std::string>& args, bool defaults, IniFile& ini) {
  for (const std::string& arg : args) {
    ASSIGN_OR_RETURN(const Override o, ParseOverride(arg));
    if (o.is_default == defaults) {
      ini.Set(o.section, o.key, o.value);
    }
  }
  return OkStatus();
}

bool IsProviderSection(const std::string& section) {
  return section.starts_with(kProviderPrefix) &&
         section.find('.', kProviderPrefix.size()) != std::string::npos;
}

// Adds env-only keys to provider sections; a variable belongs to the longest matching section.
void AddEnvOnlyProviderKeys(const std::map<std::string, std::string>& env, IniFile& ini) {
  for (const auto& [name, value] : env) {
    if (value.empty()) {
      continue;
    }
    const std::string* best = nullptr;
    size_t best_len = 0;
    for (const std::string& section : ini.sections()) {
      const std::string prefix = EnvKey(section, "");
      if (IsProviderSection(section) && name.starts_with(prefix) && name.size() > prefix.size() &&
          prefix.size() > best_len) {
        best = &section;
        best_len = prefix.size();
      }
    }
    if (best != nullptr) {
      const std::string key = ToLower(name.substr(best_len));
      if (ini.Get(*best, key) == nullptr) {
        ini.Set(*best, key, value);
      }
    }
  }
}

void ApplyEnvironment(const std::map<std::string, std::string>& env, IniFile& ini) {
  AddEnvOnlyProviderKeys(env, ini);
  for (const std::string& section : ini.sections()) {
    for (const auto& [key, value] : ini.Keys(section)) {
      const auto it = env.find(EnvKey(section, key));
      if (it != env.end() && !it->second.empty()) {
        ini.Set(section, key, it->second);
      }
    }
  }
}

Status ExpandAll(const std::map<std::string, std::string>& env, IniFile& ini) {
  for (const std::string& section : ini.sections()) {
    for (const auto& [key, value] : ini.Keys(section)) {
      if (value.find("$__") == std::string::npos) {
        continue;
      }
      ASSIGN_OR_RETURN(std::string expanded, ExpandValue(value, section + "." + key, env));
      ini.Set(section, key, std::move(expanded));
    }
  }
  return OkStatus();
}

Result<std::string> Absolute(const std::string& homepath) {
  std::error_code ec;
  const fs::path path = fs::absolute(homepath.empty() ? "." : homepath, ec);
  if (ec) {
    return InvalidArgumentError("invalid homepath \"" + homepath + "\": " + ec.message());
  }
  std::string text = path.lexically_normal().string();
  if (text.size() > 1 && text.back() == '/') {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::string EnvKey(const std::string& section, const std::string& key) {
  std::string s = section;
  for (char& c : s) {
    c = (c == '.' || c == '-') ? '_' : c;
  }
  std::string k = key;
  for (char& c : k) {
    c = c == '.' ? '_' : c;
  }
  return "GF_" + Upper(s) + "_" + Upper(k);
}

bool IsSecretKey(const std::string& key) {
  const std::string k = ToLower(key);
  return k.find("password") != std::string::npos || k.find("secret") != std::string::npos ||
         k.find("token") != std::string::npos || k == "pin" || k == "user_pin";
}

Result<RawConfig> LoadRawConfig(const LoadOptions& options) {
  RawConfig raw;
  ASSIGN_OR_RETURN(raw.homepath, Absolute(options.homepath));
  const fs::path home(raw.homepath);
  ASSIGN_OR_RETURN(raw.ini, LoadIni((home / "conf" / "defaults.ini").string()));
  if (Status s = ApplyOverrides(options.overrides, true, raw.ini); !s.ok()) {
    return s;
  }
  fs::path custom = options.config_file.empty() ? fs::path("conf/custom.ini")
                                                : fs::path(options.config_file);
  if (custom.is_relative()) {
    custom = home / custom;
  }
  if (!options.config_file.empty() || fs::exists(custom)) {
    ASSIGN_OR_RETURN(const IniFile custom_ini, LoadIni(custom.string()));
    raw.ini.Merge(custom_ini);
  }
  ApplyEnvironment(options.environment, raw.ini);
  if (Status s = ApplyOverrides(options.overrides, false, raw.ini); !s.ok()) {
    return s;
  }
  if (Status s = ExpandAll(options.environment, raw.ini); !s.ok()) {
    return s;
  }
  return raw;
}

}  // namespace md::config
