#include "kms/azure/key_vault_key_id.h"

#include <algorithm>
#include <cctype>

namespace md::kms::azure {
namespace {

int EffectivePort(const http::Url& url) {
  if (url.port != 0) return url.port;
  return url.scheme == "https" ? 443 : 80;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

bool IsKeyName(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

bool IsKeyVersion(std::string_view version) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  return version.size() == 32 && std::all_of(version.begin(), version.end(), hex);
}

std::string KeyVaultKeyId::ToString() const {
  std::string base = vault.ToString();
  if (!base.ends_with('/')) base += '/';
  return base + "keys/" + name + (version.empty() ? "" : "/" + version);
}

std::string KeyVaultKeyId::OperationPath(std::string_view operation) const {
  return "keys/" + name + (version.empty() ? "" : "/" + version) + "/" + std::string(operation);
}

Result<KeyVaultKeyId> ParseKeyVaultKeyId(std::string_view text) {
  ASSIGN_OR_RETURN(http::Url url, http::ParseUrl(text));
  if (!url.query.empty()) return InvalidArgumentError("a key URL has no query");
  KeyVaultKeyId id;
  std::string_view path = url.path;
  if (!path.starts_with("/keys/")) {
    return InvalidArgumentError("a key URL looks like https://<vault>/keys/<name>[/<version>]");
  }
  path.remove_prefix(6);
  if (path.ends_with('/')) path.remove_suffix(1);
  std::size_t slash = path.find('/');
  id.name = std::string(path.substr(0, slash));
  if (slash != std::string_view::npos) id.version = std::string(path.substr(slash + 1));
  if (!IsKeyName(id.name)) return InvalidArgumentError("the key name must be 1-127 characters of [0-9A-Za-z-]");
  if (slash != std::string_view::npos && !IsKeyVersion(id.version)) {
    return InvalidArgumentError("the key version must be 32 hex digits");
  }
  url.path = "/";
  id.vault = std::move(url);
  return id;
}

bool SameVault(const http::Url& a, const http::Url& b) {
  return a.scheme == b.scheme && Lower(a.host) == Lower(b.host) && EffectivePort(a) == EffectivePort(b);
}

bool SameKey(const KeyVaultKeyId& a, const KeyVaultKeyId& b) {
  return SameVault(a.vault, b.vault) && Lower(a.name) == Lower(b.name);
}

}  // namespace md::kms::azure
