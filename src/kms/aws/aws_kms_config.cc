#include "kms/aws/aws_kms_config.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace md::kms::aws {
namespace {

using http::NonEmptyEnv;

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> kKeys = {"key_id",        "access_key_id", "secret_access_key",
                                              "session_token", "region",        "endpoint"};
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

Status ParseCredentials(const config::ProviderSection& s, const EnvLookup& env, AwsKmsConfig& out) {
  const std::string& id = s.id;
  auto akid = http::SectionValue(s, "access_key_id");
  auto secret = http::SectionValue(s, "secret_access_key");
  auto token = http::SectionValue(s, "session_token");
  if (akid.has_value() != secret.has_value()) {
    return InvalidArgumentError(id + ": " + (akid ? "secret_access_key" : "access_key_id") +
                                " is required when " + (akid ? "access_key_id" : "secret_access_key") +
                                " is set");
  }
  if (!akid && token) return InvalidArgumentError(id + ": session_token needs access_key_id and secret_access_key");
  if (!akid) {  // the environment, as the AWS SDKs read it
    akid = NonEmptyEnv(env, "AWS_ACCESS_KEY_ID");
    secret = NonEmptyEnv(env, "AWS_SECRET_ACCESS_KEY");
    token = NonEmptyEnv(env, "AWS_SESSION_TOKEN");
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
  auto region = http::SectionValue(s, "region");
  if (region && *arn_region && *region != **arn_region) {
    return InvalidArgumentError(s.id + ": region \"" + *region + "\" differs from the region of key_id (\"" +
                                **arn_region + "\")");
  }
  if (!region) region = *arn_region;
  if (!region) region = NonEmptyEnv(env, "AWS_REGION");
  if (!region) region = NonEmptyEnv(env, "AWS_DEFAULT_REGION");
  if (!region) return InvalidArgumentError(s.id + ": region is required (or use a key ARN, or set AWS_REGION)");
  if (!IsRegion(*region)) return InvalidArgumentError(s.id + ": region \"" + *region + "\" is malformed");
  out.region = *region;
  return OkStatus();
}

Status ParseEndpoint(const config::ProviderSection& s, const EnvLookup& env, AwsKmsConfig& out) {
  std::string key = "endpoint";
  auto endpoint = http::SectionValue(s, "endpoint");
  if (!endpoint && (endpoint = NonEmptyEnv(env, "AWS_ENDPOINT_URL_KMS"))) key = "AWS_ENDPOINT_URL_KMS";
  if (!endpoint && (endpoint = NonEmptyEnv(env, "AWS_ENDPOINT_URL"))) key = "AWS_ENDPOINT_URL";
  if (!endpoint) {
    std::string suffix = out.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    endpoint = "https://kms." + out.region + suffix;
  }
  ASSIGN_OR_RETURN(out.endpoint, http::ParseServiceUrl(s.id, key, *endpoint));
  return OkStatus();
}

}  // namespace

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

Result<AwsKmsConfig> ParseAwsKmsConfig(const config::ProviderSection& section, const EnvLookup& env) {
  AwsKmsConfig out;
  out.provider_id = section.id;
  if (Status s = http::CheckKnownKeys(section, KnownKeys()); !s.ok()) return s;
  auto key_id = http::SectionValue(section, "key_id");
  if (!key_id) return InvalidArgumentError(section.id + ": key_id is required");
  if (key_id->size() > 2048) return InvalidArgumentError(section.id + ": key_id is longer than 2048 characters");
  out.key_id = *key_id;
  if (Status s = ParseCredentials(section, env, out); !s.ok()) return s;
  if (Status s = ParseRegion(section, env, out); !s.ok()) return s;
  if (Status s = ParseEndpoint(section, env, out); !s.ok()) return s;
  if (Status s = http::ParseRetryTuning(section, out.request_timeout, out.retry); !s.ok()) return s;
  return out;
}

}  // namespace md::kms::aws
