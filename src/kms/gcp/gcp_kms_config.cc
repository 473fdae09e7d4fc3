#include "kms/gcp/gcp_kms_config.h"

#include <cctype>
#include <set>
#include <vector>

namespace md::kms::gcp {
namespace {

constexpr char kDefaultEndpoint[] = "https://cloudkms.googleapis.com";
constexpr char kDefaultTokenUrl[] = "https://oauth2.googleapis.com/token";

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':';
}

Status ParseCredentials(const config::ProviderSection& s, const http::EnvLookup& env, GcpKmsConfig& out) {
  std::string key = "credentials_file";
  auto path = http::SectionValue(s, key);
  if (!path && (path = http::NonEmptyEnv(env, "GOOGLE_APPLICATION_CREDENTIALS"))) {
    key = "GOOGLE_APPLICATION_CREDENTIALS";
  }
  if (!path) return InvalidArgumentError(s.id + ": credentials_file is required (or set GOOGLE_APPLICATION_CREDENTIALS)");
  Result<ServiceAccountKey> account = LoadServiceAccountKey(*path);
  if (!account.ok()) return InvalidArgumentError(s.id + ": " + key + ": " + account.status().message());
  out.account = std::move(account).value();
  return OkStatus();
}

Status ParseUrls(const config::ProviderSection& s, GcpKmsConfig& out) {
  std::string endpoint = http::SectionValue(s, "endpoint").value_or(kDefaultEndpoint);
  ASSIGN_OR_RETURN(out.endpoint, http::ParseServiceUrl(s.id, "endpoint", endpoint));
  std::string key = "token_url";
  auto token_url = http::SectionValue(s, key);
  if (!token_url && !out.account.token_uri.empty()) {
    token_url = out.account.token_uri;
    key = "credentials_file: token_uri";
  }
  ASSIGN_OR_RETURN(out.token_url, http::ParseServiceUrl(s.id, key, token_url.value_or(kDefaultTokenUrl)));
  return OkStatus();
}

}  // namespace

bool IsCryptoKeyName(std::string_view name) {
  static const char* const kCollections[] = {"projects", "locations", "keyRings", "cryptoKeys"};
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t slash = name.find('/', start);
    parts.push_back(name.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 8) return false;
  for (std::size_t i = 0; i < 8; i += 2) {
    if (parts[i] != kCollections[i / 2] || parts[i + 1].empty()) return false;
    for (char c : parts[i + 1]) {
      if (!IsIdChar(c)) return false;
    }
  }
  return true;
}

Result<GcpKmsConfig> ParseGcpKmsConfig(const config::ProviderSection& section, const http::EnvLookup& env) {
  static const std::set<std::string> kKeys = {"key_id", "credentials_file", "endpoint", "token_url"};
  if (Status s = http::CheckKnownKeys(section, kKeys); !s.ok()) return s;
  GcpKmsConfig out;
  out.provider_id = section.id;
  auto key_id = http::SectionValue(section, "key_id");
  if (!key_id) return InvalidArgumentError(section.id + ": key_id is required");
  if (!IsCryptoKeyName(*key_id)) {
    return InvalidArgumentError(section.id + ": key_id must be projects/<project>/locations/<location>/keyRings/"
                                             "<ring>/cryptoKeys/<key>");
  }
  out.key_name = *key_id;
  if (Status s = ParseCredentials(section, env, out); !s.ok()) return s;
  if (Status s = ParseUrls(section, out); !s.ok()) return s;
  if (Status s = http::ParseRetryTuning(section, out.request_timeout, out.retry); !s.ok()) return s;
  return out;
}

}  // namespace md::kms::gcp
