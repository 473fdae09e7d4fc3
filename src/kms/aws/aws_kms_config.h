// AwsKmsConfig: the validated settings of one [security.encryption.awskms.<name>] section, with
// the standard AWS environment variables as fallbacks (docs/key-providers.md, "AWS KMS").
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "config/settings.h"
#include "kms/aws/sigv4.h"
#include "kms/http/provider_settings.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::aws {

struct AwsKmsConfig {
  std::string provider_id;  // "awskms.prod"
  std::string key_id;       // key id, key ARN, alias/..., or alias ARN
  std::string region;
  http::Url endpoint;
  AwsCredentials credentials;
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};  // one attempt
  http::RetryPolicy retry{.max_attempts = 3,
                          .base_delay = std::chrono::milliseconds(200),
                          .max_delay = std::chrono::seconds(20),
                          .total_timeout = std::chrono::seconds(30)};
};

using http::EnvLookup;
using http::ProcessEnv;

// Validates a section. Errors are InvalidArgument, one line, naming the provider id and the key
// ("awskms.prod: key_id is required"); credential values never appear in them.
Result<AwsKmsConfig> ParseAwsKmsConfig(const config::ProviderSection& section, const EnvLookup& env);

// "arn:<partition>:kms:<region>:<account>:key/<id>" or ".../alias/<name>" -> region; nullopt when
// key_id is not an ARN; InvalidArgument when it starts with "arn:" but is not a KMS key/alias ARN.
Result<std::optional<std::string>> RegionFromKeyArn(std::string_view key_id);

}  // namespace md::kms::aws
