// Setting helpers shared by the HTTP-based key providers (awskms, hashicorpvault, googlekms, azurekv):
// reading a [security.encryption.<kind>.<name>] section, endpoint URLs, and the retry tuning keys.
// Every error is InvalidArgument, one line, "<kind>.<name>: <key> ..."; values are never echoed
// unless they are known not to be secrets (URLs, durations).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "common/status.h"
#include "config/settings.h"
#include "kms/http/retry.h"
#include "kms/http/url.h"

namespace md::kms::http {

// Reads an environment variable; nullopt when unset. Injected so tests control the environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnv();
// A non-empty value of `name`, or nullopt.
std::optional<std::string> NonEmptyEnv(const EnvLookup& env, const std::string& name);

// A non-empty value from the section, or nullopt.
std::optional<std::string> SectionValue(const config::ProviderSection& section, const std::string& key);
// The section's non-empty `key`, else the non-empty environment variable `env_name`, else nullopt.
std::optional<std::string> SectionValueOrEnv(const config::ProviderSection& section, const std::string& key,
                                             const EnvLookup& env, const std::string& env_name);

// "<id>: unknown key \"k\"" for the first key not in `known` or (when allow_retry_tuning, as for
// the HTTP providers) in RetryTuningKeys().
Status CheckKnownKeys(const config::ProviderSection& section, const std::set<std::string>& known,
                      bool allow_retry_tuning = true);

// request_timeout, max_attempts, retry_base_delay, retry_max_delay, retry_total_timeout.
const std::set<std::string>& RetryTuningKeys();

// Go-style durations ("500ms", "10s", "1m30s"); InvalidArgument "<id>: <key>: bad duration ...".
Result<std::chrono::milliseconds> ParseDurationSetting(const config::ProviderSection& section,
                                                       const std::string& key, std::string_view text);

// Applies the RetryTuningKeys present in the section.
Status ParseRetryTuning(const config::ProviderSection& section, std::chrono::milliseconds& request_timeout,
                        RetryPolicy& retry);

// An endpoint URL: https, or http for loopback hosts only; no query. `key` names the setting.
Result<Url> ParseServiceUrl(const std::string& provider_id, const std::string& key, std::string_view text);

}  // namespace md::kms::http
