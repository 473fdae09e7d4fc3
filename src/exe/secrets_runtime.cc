#include "exe/secrets_runtime.h"

#include "kms/aws/aws_kms_provider.h"
#include "kms/azure/azure_kv_provider.h"
#include "kms/gcp/gcp_kms_provider.h"
#include "kms/http/clock.h"
#include "kms/http/curl_http_client.h"
#include "kms/pkcs11/pkcs11_provider.h"
#include "kms/secret_key/secret_key_provider.h"
#include "kms/vault/vault_transit_provider.h"

namespace md::exe {
namespace {

Status RegisterBuiltinProviders(kms::ProviderRegistry& registry,
                                std::shared_ptr<const kms::SecretKeyRing> secret_keys) {
  std::shared_ptr<const kms::http::HttpClient> client = kms::http::CurlHttpClient::New();
  std::shared_ptr<const kms::http::Clock> clock = kms::http::NewSystemClock();
  std::vector<std::unique_ptr<kms::ProviderFactory>> factories;
  factories.push_back(std::make_unique<kms::SecretKeyProviderFactory>(std::move(secret_keys)));
  factories.push_back(std::make_unique<kms::aws::AwsKmsProviderFactory>(client, clock));
  factories.push_back(std::make_unique<kms::vault::VaultTransitProviderFactory>(client, clock));
  factories.push_back(std::make_unique<kms::gcp::GcpKmsProviderFactory>(client, clock));
  factories.push_back(std::make_unique<kms::azure::AzureKvProviderFactory>(client, clock));
  factories.push_back(std::make_unique<kms::pkcs11::Pkcs11ProviderFactory>());
  for (auto& factory : factories) {
    if (Status s = registry.Add(std::move(factory)); !s.ok()) return s;
  }
  return OkStatus();
}

secrets::SecretsManagerOptions ManagerOptions(const config::Settings& settings) {
  secrets::SecretsManagerOptions options;
  options.envelope_enabled = !settings.features.IsEnabled("disableEnvelopeEncryption");
  options.cache_ttl = settings.encryption.data_keys_cache_ttl;
  options.cleanup_interval = settings.encryption.data_keys_cache_cleanup_interval;
  options.change_check_interval = settings.encryption.data_keys_change_check_interval;
  return options;
}

}  // namespace

Result<SecretsRuntime> BuildSecretsRuntime(const config::Settings& settings, store::Database& db,
                                           MetricsRegistry& metrics) {
  auto algorithm = crypto::ParseAlgorithm(settings.encryption.algorithm);
  if (!algorithm.ok()) return algorithm.status().WithContext("security.encryption.algorithm");
  SecretsRuntime runtime;
  runtime.cipher = std::make_shared<crypto::EncryptionService>(*algorithm);
  ASSIGN_OR_RETURN(runtime.secret_keys,
                   kms::SecretKeyRing::New(settings.security.secret_key, settings.security.previous_secret_key,
                                           runtime.cipher));
  kms::ProviderRegistry registry;
  if (Status s = RegisterBuiltinProviders(registry, runtime.secret_keys); !s.ok()) return s;
  ASSIGN_OR_RETURN(kms::ProviderSet providers, registry.Build(settings));
  runtime.providers = std::make_unique<kms::ProviderSet>(std::move(providers));
  runtime.manager = std::make_unique<secrets::SecretsManager>(
      db, runtime.cipher, *runtime.providers, runtime.secret_keys, ManagerOptions(settings), metrics);
  return runtime;
}

}  // namespace md::exe
