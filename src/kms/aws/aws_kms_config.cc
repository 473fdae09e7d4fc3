#include "kms/aws/aws_kms_config.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace md::kms::aws {
namespace {

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> kKeys = {
      "key_id", "access_key_id", "secret_access_key", "session_token", "region", "endpoint",
      "request_timeout", "max_attempts", "retry_base_delay", "retry_max_delay", "retry_total_timeout"};
  return kKeys;
}

bool IsRegion(std::string_view r) {
  if (r.empty() || r.size() > 32) return false;
  for (char c : r) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

// A non-empty value from the section, or nullopt.
std::optional<std::string> Get(const config::ProviderSection& s, const std::string& key) {
  auto it = s.keys.find(key);
  if (it == s.keys.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> GetEnv(const EnvLookup& env, const std::string& name) {
  std::optional<std::string> v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

Status ParseCredentials(const config::ProviderSection& s, const EnvLookup& env, AwsKmsConfig& out) {
  const std::string& id = s.id;
  auto akid = Get(s, "access_key_id");
  auto secret = Get(s, "secret_access_key");
  auto token = Get(s, "session_token");
  if (akid.has_value() != secret.has_value()) {
    return InvalidArgumentError(id + ": " + (akid ? "secret_access_key" : "access_key_id") +
                                " is required when " + (akid ? "access_key_id" : "secret_access_key") +
                                " is set");
  }
  if (!akid && token) return InvalidArgumentError(id + ": session_token needs access_key_id and secret_access_key");
  if (!akid) {  // the environment, as the AWS SDKs read it
    akid = GetEnv(env, "AWS_ACCESS_KEY_ID");
    secret = GetEnv(env, "AWS_SECRET_ACCESS_KEY");
    token = GetEnv(env, "AWS_SESSION_TOKEN");
    if (!akid || !secret) {
      return InvalidArgumentError(id + ": access_key_id and secret_access_key are required (or set "
                                       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    }
  }
  out.credentials.access_key_id = *akid;
  out.credentials.secret_access_key = SecretBytes(std::string_view(*secret));
  if (token) out.credentials.session_token = SecretBytes(std::string_view(*token));
  for (char c : *akid) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return InvalidArgumentError(id + ": access_key_id is malformed");
  }
  return OkStatus();
}

Status ParseRegion(const config::ProviderSection& s, const EnvLookup& env, AwsKmsConfig& out) {
  Result<std::optional<std::string>> arn_region = RegionFromKeyArn(out.key_id);
  if (!arn_region.ok()) return InvalidArgumentError(s.id + ": key_id " + arn_region.status().message());
  auto region = Get(s, "region");
  if (region && *arn_region && *region != **arn_region) {
    return InvalidArgumentError(s.id + ": region \"" + *region + "\" differs from the region of key_id (\"" +
                                **arn_region + "\")");
  }
  if (!region) region = *arn_region;
  if (!region) region = GetEnv(env, "AWS_REGION");
  if (!region) region = GetEnv(env, "AWS_DEFAULT_REGION");
  if (!region) return InvalidArgumentError(s.id + ": region is required (or use a key ARN, or set AWS_REGION)");
  if (!IsRegion(*region)) return InvalidArgumentError(s.id + ": region \"" + *region + "\" is malformed");
  out.region = *region;
  return OkStatus();
}

Status ParseEndpoint(const config::ProviderSection& s, const EnvLookup& env, AwsKmsConfig& out) {
  std::string key = "endpoint";
  auto endpoint = Get(s, "endpoint");
  if (!endpoint && (endpoint = GetEnv(env, "AWS_ENDPOINT_URL_KMS"))) key = "AWS_ENDPOINT_URL_KMS";
  if (!endpoint && (endpoint = GetEnv(env, "AWS_ENDPOINT_URL"))) key = "AWS_ENDPOINT_URL";
  if (!endpoint) {
    std::string suffix = out.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    endpoint = "https://kms." + out.region + suffix;
  }
  Result<http::Url> url = http::ParseUrl(*endpoint);
  if (!url.ok()) return InvalidArgumentError(s.id + ": " + key + ": " + url.status().message());
  if (url->scheme == "http" && !url->IsLoopback()) {
    return InvalidArgumentError(s.id + ": " + key + " must use https (http is allowed only for loopback)");
  }
  if (!url->query.empty()) return InvalidArgumentError(s.id + ": " + key + " must not have a query");
  out.endpoint = *url;
  return OkStatus();
}

Status ParseTuning(const config::ProviderSection& s, AwsKmsConfig& out) {
  struct Field {
    const char* key;
    std::chrono::milliseconds* target;
  };
  for (Field f : {Field{"request_timeout", &out.request_timeout}, Field{"retry_base_delay", &out.retry.base_delay},
                  Field{"retry_max_delay", &out.retry.max_delay},
                  Field{"retry_total_timeout", &out.retry.total_timeout}}) {
    if (auto v = Get(s, f.key)) {
      Result<std::chrono::milliseconds> d = ParseDuration(*v);
      if (!d.ok()) return InvalidArgumentError(s.id + ": " + f.key + ": " + d.status().message());
      *f.target = *d;
    }
  }
  if (auto v = Get(s, "max_attempts")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 20) return InvalidArgumentError(s.id + ": max_attempts must be 1..20");
    out.retry.max_attempts = static_cast<int>(n);
  }
  if (out.request_timeout.count() <= 0 || out.retry.total_timeout.count() <= 0) {
    return InvalidArgumentError(s.id + ": request_timeout and retry_total_timeout must be positive");
  }
  return OkStatus();
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::optional<std::string>> RegionFromKeyArn(std::string_view key_id) {
  if (!key_id.starts_with("arn:")) return std::optional<std::string>();
  // arn:partition:service:region:account:resource
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    std::size_t colon = key_id.find(':', start);
    if (colon == std::string_view::npos) return InvalidArgumentError("is not a valid KMS key or alias ARN");
    parts.push_back(key_id.substr(start, colon - start));
    start = colon + 1;
  }
  std::string_view resource = key_id.substr(start);
  bool ok = parts[2] == "kms" && IsRegion(parts[3]) && !parts[4].empty() &&
            ((resource.starts_with("key/") && resource.size() > 4) ||
             (resource.starts_with("alias/") && resource.size() > 6));
  if (!ok) return InvalidArgumentError("is not a valid KMS key or alias ARN");
  return std::optional<std::string>(std::string(parts[3]));
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("empty duration");
  double total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t digits = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (digits == i) return InvalidArgumentError("bad duration \"" + std::string(text) + "\"");
    double value = std::strtod(std::string(text.substr(digits, i - digits)).c_str(), nullptr);
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") {
      total_ms += value;
    } else if (unit == "s") {
      total_ms += value * 1000;
    } else if (unit == "m") {
      total_ms += value * 60'000;
    } else if (unit == "h") {
      total_ms += value * 3'600'000;
    } else {
      return InvalidArgumentError("bad duration \"" + std::string(text) + "\" (use ms, s, m or h)");
    }
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

Result<AwsKmsConfig> ParseAwsKmsConfig(const config::ProviderSection& section, const EnvLookup& env) {
  AwsKmsConfig out;
  out.provider_id = section.id;
  for (const auto& [key, value] : section.keys) {
    if (!KnownKeys().contains(key)) return InvalidArgumentError(section.id + ": unknown key \"" + key + "\"");
  }
  auto key_id = Get(section, "key_id");
  if (!key_id) return InvalidArgumentError(section.id + ": key_id is required");
  if (key_id->size() > 2048) return InvalidArgumentError(section.id + ": key_id is longer than 2048 characters");
  out.key_id = *key_id;
  if (Status s = ParseCredentials(section, env, out); !s.ok()) return s;
  if (Status s = ParseRegion(section, env, out); !s.ok()) return s;
  if (Status s = ParseEndpoint(section, env, out); !s.ok()) return s;
  if (Status s = ParseTuning(section, out); !s.ok()) return s;
  return out;
}

}  // namespace md::kms::aws
