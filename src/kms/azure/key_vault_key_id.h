// KeyVaultKeyId: a Key Vault key identifier (kms-protocols.md §2.1),
// https://{vault}/keys/{name}[/{version}], split into the vault's base URL, the key name and the
// optional version. The key vault's wrapkey response always names a version; unwrapping must use
// that exact version, since the key may have been rotated since.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "kms/http/url.h"

namespace md::kms::azure {

struct KeyVaultKeyId {
  http::Url vault;      // scheme://host[:port]/, no query
  std::string name;     // 1-127 characters of [0-9A-Za-z-]
  std::string version;  // 32 hex digits, or empty for the key's current version

  // "https://v.vault.azure.net/keys/<name>[/<version>]"
  std::string ToString() const;
  // "keys/<name>[/<version>]/<operation>" relative to the vault.
  std::string OperationPath(std::string_view operation) const;
};

bool IsKeyName(std::string_view name);
bool IsKeyVersion(std::string_view version);

// Parses a full key URL. InvalidArgument (naming the problem, not the URL) for any other shape.
Result<KeyVaultKeyId> ParseKeyVaultKeyId(std::string_view text);

// The same scheme, host (case-insensitively) and port (an omitted port is the scheme's default).
bool SameVault(const http::Url& a, const http::Url& b);
// The same vault and key name (Key Vault names are case-insensitive); versions are not compared.
bool SameKey(const KeyVaultKeyId& a, const KeyVaultKeyId& b);

}  // namespace md::kms::azure
