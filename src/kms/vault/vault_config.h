// VaultConfig: the validated settings of one [security.encryption.hashicorpvault.<name>] section
// (docs/key-providers.md, "HashiCorp Vault"), with VAULT_ADDR and VAULT_TOKEN as fallbacks.
#pragma once

#include <chrono>
#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "config/settings.h"
#include "kms/http/provider_settings.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::vault {

struct VaultConfig {
  std::string provider_id;              // "hashicorpvault.prod"
  http::Url url;                        // Vault's address, e.g. https://vault.example.com:8200
  SecretBytes token;                    // sent as X-Vault-Token; never in errors
  std::string transit_path = "transit";  // the transit mount, no leading or trailing '/'
  std::string key_ring;                 // the transit key name
  // How often renew-self runs in the background; zero turns renewal off.
  std::chrono::milliseconds token_renewal_interval{std::chrono::minutes(5)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};  // one attempt
  http::RetryPolicy retry{.max_attempts = 3,
                          .base_delay = std::chrono::milliseconds(200),
                          .max_delay = std::chrono::seconds(20),
                          .total_timeout = std::chrono::seconds(30)};
};

// Errors are InvalidArgument, one line, naming the provider id and the key
// ("hashicorpvault.prod: key_ring is required"); the token never appears in them.
Result<VaultConfig> ParseVaultConfig(const config::ProviderSection& section, const http::EnvLookup& env);

}  // namespace md::kms::vault
