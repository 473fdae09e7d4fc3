// GcpKmsConfig: the validated settings of one [security.encryption.googlekms.<name>] section
// (docs/key-providers.md, "Google Cloud KMS"), with GOOGLE_APPLICATION_CREDENTIALS as the fallback
// for credentials_file.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"
#include "config/settings.h"
#include "kms/gcp/service_account.h"
#include "kms/http/provider_settings.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::gcp {

struct GcpKmsConfig {
  std::string provider_id;  // "googlekms.prod"
  std::string key_name;     // projects/*/locations/*/keyRings/*/cryptoKeys/*
  http::Url endpoint;       // https://cloudkms.googleapis.com
  http::Url token_url;      // from the credentials' token_uri unless overridden
  ServiceAccountKey account;
  std::string scope = "https://www.googleapis.com/auth/cloudkms";
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};  // one attempt
  // The official client: 0.1 s initial backoff, 60 s overall (kms-protocols.md §3.5).
  http::RetryPolicy retry{.max_attempts = 5,
                          .base_delay = std::chrono::milliseconds(100),
                          .max_delay = std::chrono::seconds(20),
                          .total_timeout = std::chrono::seconds(60)};
};

// Errors are InvalidArgument, one line, naming the provider id and the key
// ("googlekms.prod: key_id is required"); the private key never appears in them.
Result<GcpKmsConfig> ParseGcpKmsConfig(const config::ProviderSection& section, const http::EnvLookup& env);

// True for "projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>" (a CryptoKey, not a version).
bool IsCryptoKeyName(std::string_view name);

}  // namespace md::kms::gcp
