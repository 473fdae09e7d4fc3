// AzureKvConfig: the validated settings of one [security.encryption.azurekv.<name>] section
// (docs/key-providers.md, "Azure Key Vault"), with AZURE_TENANT_ID, AZURE_CLIENT_ID,
// AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST as fallbacks.
#pragma once

#include <chrono>
#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "config/settings.h"
#include "kms/azure/key_vault_key_id.h"
#include "kms/http/provider_settings.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::azure {

struct AzureKvConfig {
  std::string provider_id;  // "azurekv.prod"
  std::string tenant_id;    // directory (tenant) ID or verified domain
  std::string client_id;    // application (client) ID
  SecretBytes client_secret;  // never in errors
  KeyVaultKeyId key;        // key.version empty: wrap with the key's current version
  http::Url authority_host;   // https://login.microsoftonline.com; tokens from /<tenant>/oauth2/v2.0/token
  std::string scope;          // https://vault.azure.net/.default (from the vault's cloud)
  std::string api_version = "7.4";
  std::string algorithm = "RSA-OAEP-256";  // or RSA-OAEP
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};  // one attempt
  // Microsoft's throttling guidance: back off 1, 2, 4, 8, 16 s (kms-protocols.md §2.4).
  http::RetryPolicy retry{.max_attempts = 5,
                          .base_delay = std::chrono::seconds(1),
                          .max_delay = std::chrono::seconds(16),
                          .total_timeout = std::chrono::seconds(60)};
};

// Errors are InvalidArgument, one line, naming the provider id and the key
// ("azurekv.prod: tenant_id is required"); the client secret never appears in them.
Result<AzureKvConfig> ParseAzureKvConfig(const config::ProviderSection& section, const http::EnvLookup& env);

// The largest data key `algorithm` can wrap with an RSA-2048 key (190 bytes for RSA-OAEP-256).
std::size_t MaxDataKeySize(std::string_view algorithm);
bool IsSupportedAlgorithm(std::string_view algorithm);

}  // namespace md::kms::azure
