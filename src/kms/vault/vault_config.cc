#include "kms/vault/vault_config.h"

#include <cctype>
#include <set>

namespace md::kms::vault {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// A transit key name is one path segment (kms-protocols.md §4.4).
Status CheckKeyRing(const std::string& id, const std::string& name) {
  bool ok = !name.empty() && name.back() != '.';
  for (char c : name) ok = ok && IsNameChar(c);
  if (!ok) return InvalidArgumentError(id + ": key_ring must be a transit key name ([A-Za-z0-9_.-], not ending in '.')");
  return OkStatus();
}

// "/transit/" -> "transit"; segments of [A-Za-z0-9_.-] separated by '/'.
Result<std::string> NormalizeMount(const std::string& id, std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(path.begin());
  while (!path.empty() && path.back() == '/') path.pop_back();
  bool ok = !path.empty() && path.find("//") == std::string::npos;
  for (char c : path) ok = ok && (IsNameChar(c) || c == '/');
  if (!ok) return InvalidArgumentError(id + ": transit_engine_path must be a mount path such as \"transit\"");
  return path;
}

Status ParseAddressAndToken(const config::ProviderSection& s, const http::EnvLookup& env, VaultConfig& out) {
  std::string url_key = "url";
  auto url = http::SectionValue(s, "url");
  if (!url && (url = http::NonEmptyEnv(env, "VAULT_ADDR"))) url_key = "VAULT_ADDR";
  if (!url) return InvalidArgumentError(s.id + ": url is required (or set VAULT_ADDR)");
  ASSIGN_OR_RETURN(out.url, http::ParseServiceUrl(s.id, url_key, *url));
  auto token = http::SectionValue(s, "token");
  if (!token) token = http::NonEmptyEnv(env, "VAULT_TOKEN");
  if (!token) return InvalidArgumentError(s.id + ": token is required (or set VAULT_TOKEN)");
  for (char c : *token) {
    if (c < 0x21 || c > 0x7e) return InvalidArgumentError(s.id + ": token contains a blank or control character");
  }
  out.token = SecretBytes(std::string_view(*token));
  return OkStatus();
}

}  // namespace

Result<VaultConfig> ParseVaultConfig(const config::ProviderSection& section, const http::EnvLookup& env) {
  static const std::set<std::string> kKeys = {"token", "url", "transit_engine_path", "key_ring",
                                              "token_renewal_interval"};
  if (Status s = http::CheckKnownKeys(section, kKeys); !s.ok()) return s;
  VaultConfig out;
  out.provider_id = section.id;
  if (Status s = ParseAddressAndToken(section, env, out); !s.ok()) return s;
  auto key_ring = http::SectionValue(section, "key_ring");
  if (!key_ring) return InvalidArgumentError(section.id + ": key_ring is required");
  if (Status s = CheckKeyRing(section.id, *key_ring); !s.ok()) return s;
  out.key_ring = *key_ring;
  if (auto mount = http::SectionValue(section, "transit_engine_path")) {
    ASSIGN_OR_RETURN(out.transit_path, NormalizeMount(section.id, *mount));
  }
  if (auto interval = http::SectionValue(section, "token_renewal_interval")) {
    ASSIGN_OR_RETURN(out.token_renewal_interval,
                     http::ParseDurationSetting(section, "token_renewal_interval", *interval));
  }
  if (Status s = http::ParseRetryTuning(section, out.request_timeout, out.retry); !s.ok()) return s;
  return out;
}

}  // namespace md::kms::vault
