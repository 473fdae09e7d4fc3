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

// Reads an environment variable; nullopt when unset. Injected so tests control the environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnv();

// Validates a section. Errors are InvalidArgument, one line, naming the provider id and the key
// ("awskms.prod: key_id is required"); credential values never appear in them.
Result<AwsKmsConfig> ParseAwsKmsConfig(const config::ProviderSection& section, const EnvLookup& env);

// "arn:<partition>:kms:<region>:<account>:key/<id>" or ".../alias/<name>" -> region; nullopt when
// key_id is not an ARN; InvalidArgument when it starts with "arn:" but is not a KMS key/alias ARN.
Result<std::optional<std::string>> RegionFromKeyArn(std::string_view key_id);

// Go-style durations: "500ms", "10s", "1m30s", "2h". InvalidArgument otherwise.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace md::kms::aws
