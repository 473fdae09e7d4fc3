#include "kms/http/provider_settings.h"

#include <cstdlib>

#include "config/values.h"

namespace md::kms::http {

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::optional<std::string> NonEmptyEnv(const EnvLookup& env, const std::string& name) {
  std::optional<std::string> v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::optional<std::string> SectionValue(const config::ProviderSection& section, const std::string& key) {
  auto it = section.keys.find(key);
  if (it == section.keys.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> SectionValueOrEnv(const config::ProviderSection& section, const std::string& key,
                                             const EnvLookup& env, const std::string& env_name) {
  if (std::optional<std::string> v = SectionValue(section, key)) return v;
  return NonEmptyEnv(env, env_name);
}

const std::set<std::string>& RetryTuningKeys() {
  static const std::set<std::string> kKeys = {"request_timeout", "max_attempts", "retry_base_delay",
                                              "retry_max_delay", "retry_total_timeout"};
  return kKeys;
}

Status CheckKnownKeys(const config::ProviderSection& section, const std::set<std::string>& known,
                      bool allow_retry_tuning) {
  for (const auto& [key, value] : section.keys) {
    if (!known.contains(key) && !(allow_retry_tuning && RetryTuningKeys().contains(key))) {
      return InvalidArgumentError(section.id + ": unknown key \"" + key + "\"");
    }
  }
  return OkStatus();
}

Result<std::chrono::milliseconds> ParseDurationSetting(const config::ProviderSection& section,
                                                       const std::string& key, std::string_view text) {
  std::optional<std::chrono::milliseconds> d = config::ParseDuration(text);
  if (!d) {
    return InvalidArgumentError(section.id + ": " + key + ": bad duration \"" + std::string(text) +
                                "\" (use ms, s, m or h, e.g. 5m)");
  }
  return *d;
}

Status ParseRetryTuning(const config::ProviderSection& section, std::chrono::milliseconds& request_timeout,
                        RetryPolicy& retry) {
  struct Field {
    const char* key;
    std::chrono::milliseconds* target;
  };
  for (Field f : {Field{"request_timeout", &request_timeout}, Field{"retry_base_delay", &retry.base_delay},
                  Field{"retry_max_delay", &retry.max_delay}, Field{"retry_total_timeout", &retry.total_timeout}}) {
    if (auto v = SectionValue(section, f.key)) {
      ASSIGN_OR_RETURN(*f.target, ParseDurationSetting(section, f.key, *v));
    }
  }
  if (auto v = SectionValue(section, "max_attempts")) {
    std::optional<int64_t> n = config::ParseInt(*v, 1, 20);
    if (!n) return InvalidArgumentError(section.id + ": max_attempts must be 1..20");
    retry.max_attempts = static_cast<int>(*n);
  }
  if (request_timeout.count() <= 0 || retry.total_timeout.count() <= 0) {
    return InvalidArgumentError(section.id + ": request_timeout and retry_total_timeout must be positive");
  }
  return OkStatus();
}

Result<Url> ParseServiceUrl(const std::string& provider_id, const std::string& key, std::string_view text) {
  Result<Url> url = ParseUrl(text);
  if (!url.ok()) return InvalidArgumentError(provider_id + ": " + key + ": " + url.status().message());
  if (url->scheme == "http" && !url->IsLoopback()) {
    return InvalidArgumentError(provider_id + ": " + key + " must use https (http is allowed only for loopback)");
  }
  if (!url->query.empty()) return InvalidArgumentError(provider_id + ": " + key + " must not have a query");
  return url;
}

}  // namespace md::kms::http
