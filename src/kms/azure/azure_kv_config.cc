#include "kms/azure/azure_kv_config.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace md::kms::azure {
namespace {

// Sovereign clouds by vault host suffix (kms-protocols.md §2.1, §2.3); the last row is the default.
struct Cloud {
  std::string_view vault_suffix;
  std::string_view scope;
  std::string_view authority;
};
constexpr Cloud kClouds[] = {
    {".managedhsm.azure.net", "https://managedhsm.azure.net/.default", "https://login.microsoftonline.com"},
    {".vault.azure.cn", "https://vault.azure.cn/.default", "https://login.chinacloudapi.cn"},
    {".vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net/.default", "https://login.microsoftonline.us"},
    {"", "https://vault.azure.net/.default", "https://login.microsoftonline.com"},
};

const Cloud& CloudOf(const http::Url& vault) {
  for (const Cloud& cloud : kClouds) {
    if (vault.host.ends_with(cloud.vault_suffix)) return cloud;
  }
  return kClouds[std::size(kClouds) - 1];
}

// Only [A-Za-z0-9] and the characters of `extra`.
bool IsAlnumOr(std::string_view text, std::string_view extra) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || extra.find(c) != std::string_view::npos;
  });
}

bool IsPrintableWithoutBlanks(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Status ParseIdentity(const config::ProviderSection& s, const http::EnvLookup& env, AzureKvConfig& out) {
  auto tenant = http::SectionValueOrEnv(s, "tenant_id", env, "AZURE_TENANT_ID");
  if (!tenant) return InvalidArgumentError(s.id + ": tenant_id is required (or set AZURE_TENANT_ID)");
  std::string lower(tenant->size(), ' ');
  std::transform(tenant->begin(), tenant->end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (tenant->size() > 256 || !IsAlnumOr(*tenant, ".-") || lower == "common" ||
      lower == "organizations" || lower == "consumers") {
    return InvalidArgumentError(s.id + ": tenant_id must be the directory (tenant) ID or a verified domain");
  }
  auto client = http::SectionValueOrEnv(s, "client_id", env, "AZURE_CLIENT_ID");
  if (!client) return InvalidArgumentError(s.id + ": client_id is required (or set AZURE_CLIENT_ID)");
  if (client->size() > 256 || !IsPrintableWithoutBlanks(*client)) {
    return InvalidArgumentError(s.id + ": client_id must be the application (client) ID");
  }
  auto secret = http::SectionValueOrEnv(s, "client_secret", env, "AZURE_CLIENT_SECRET");
  if (!secret) return InvalidArgumentError(s.id + ": client_secret is required (or set AZURE_CLIENT_SECRET)");
  out.tenant_id = *tenant;
  out.client_id = *client;
  out.client_secret = SecretBytes(std::string_view(*secret));
  CleanseMemory(secret->data(), secret->size());
  return OkStatus();
}

// key_id is a key name, "<name>/<version>", or a full key URL (which may stand in for vault_uri).
Status ParseKey(const config::ProviderSection& s, AzureKvConfig& out) {
  auto key_id = http::SectionValue(s, "key_id");
  if (!key_id) return InvalidArgumentError(s.id + ": key_id is required");
  auto vault_uri = http::SectionValue(s, "vault_uri");
  if (key_id->starts_with("https://") || key_id->starts_with("http://")) {
    Result<KeyVaultKeyId> parsed = ParseKeyVaultKeyId(*key_id);
    if (!parsed.ok()) return InvalidArgumentError(s.id + ": key_id: " + parsed.status().message());
    ASSIGN_OR_RETURN(out.key.vault, http::ParseServiceUrl(s.id, "key_id", parsed->vault.ToString()));
    out.key.name = parsed->name;
    out.key.version = parsed->version;
  } else {
    std::size_t slash = key_id->find('/');
    out.key.name = key_id->substr(0, slash);
    if (slash != std::string::npos) out.key.version = key_id->substr(slash + 1);
    if (!IsKeyName(out.key.name) || (slash != std::string::npos && !IsKeyVersion(out.key.version))) {
      return InvalidArgumentError(s.id + ": key_id must be a key name ([0-9A-Za-z-], at most 127), "
                                         "<name>/<32 hex digit version>, or a key URL");
    }
    if (!vault_uri) return InvalidArgumentError(s.id + ": vault_uri is required");
  }
  if (!vault_uri) return OkStatus();
  ASSIGN_OR_RETURN(http::Url vault, http::ParseServiceUrl(s.id, "vault_uri", *vault_uri));
  if (vault.path != "/") {
    return InvalidArgumentError(s.id + ": vault_uri must be the vault's base URL (https://<name>.vault.azure.net/)");
  }
  if (!out.key.vault.host.empty() && !SameVault(vault, out.key.vault)) {
    return InvalidArgumentError(s.id + ": key_id is a key in another vault than vault_uri");
  }
  out.key.vault = std::move(vault);
  return OkStatus();
}

Status ParseOptions(const config::ProviderSection& s, const http::EnvLookup& env, AzureKvConfig& out) {
  const Cloud& cloud = CloudOf(out.key.vault);
  out.scope = cloud.scope;
  auto authority = http::SectionValueOrEnv(s, "authority_host", env, "AZURE_AUTHORITY_HOST");
  ASSIGN_OR_RETURN(out.authority_host,
                   http::ParseServiceUrl(s.id, "authority_host", authority.value_or(std::string(cloud.authority))));
  if (auto v = http::SectionValue(s, "api_version")) {
    if (v->size() > 32 || !IsAlnumOr(*v, ".-")) {
      return InvalidArgumentError(s.id + ": api_version must look like 7.4 or 2025-07-01");
    }
    out.api_version = *v;
  }
  if (auto v = http::SectionValue(s, "algorithm")) {
    if (!IsSupportedAlgorithm(*v)) return InvalidArgumentError(s.id + ": algorithm must be RSA-OAEP-256 or RSA-OAEP");
    out.algorithm = *v;
  }
  return OkStatus();
}

}  // namespace

bool IsSupportedAlgorithm(std::string_view algorithm) {
  return algorithm == "RSA-OAEP-256" || algorithm == "RSA-OAEP";
}

std::size_t MaxDataKeySize(std::string_view algorithm) {
  // 256 - 2 * hash length - 2 (RFC 8017 §7.1.1).
  return algorithm == "RSA-OAEP" ? 256 - 2 * 20 - 2 : 256 - 2 * 32 - 2;
}

Result<AzureKvConfig> ParseAzureKvConfig(const config::ProviderSection& section, const http::EnvLookup& env) {
  static const std::set<std::string> kKeys = {"tenant_id",      "client_id",   "client_secret", "key_id",
                                              "vault_uri",      "authority_host", "api_version", "algorithm"};
  if (Status s = http::CheckKnownKeys(section, kKeys); !s.ok()) return s;
  AzureKvConfig out;
  out.provider_id = section.id;
  if (Status s = ParseIdentity(section, env, out); !s.ok()) return s;
  if (Status s = ParseKey(section, out); !s.ok()) return s;
  if (Status s = ParseOptions(section, env, out); !s.ok()) return s;
  if (Status s = http::ParseRetryTuning(section, out.request_timeout, out.retry); !s.ok()) return s;
  return out;
}

}  // namespace md::kms::azure
