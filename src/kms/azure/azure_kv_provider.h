// AzureKvProvider: the "azurekv.<name>" key provider over Azure Key Vault (kms-protocols.md §2).
// WrapKey is POST {vault}/keys/<name>[/<version>]/wrapkey with an RSA key and RSA-OAEP-256 (or
// RSA-OAEP); the stored encrypted_data is a WrappedKeyBlob that keeps the versioned kid Key Vault
// returned next to the wrapped value, and UnwrapKey POSTs to exactly that version's unwrapkey.
// Requests carry a Bearer token from Microsoft Entra ID's client-credentials flow
// (POST {authority_host}/<tenant>/oauth2/v2.0/token), cached until 5 minutes before it expires and
// looked up afresh for every attempt; a 401 drops it and the call is made once more.
// Thread-safe; never logs; errors never contain the client secret, tokens or key material.
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "kms/azure/azure_kv_config.h"
#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/oauth_token_source.h"
#include "kms/http/http_provider_factory.h"
#include "kms/key_provider.h"

namespace md::kms::azure {

class AzureKvProvider : public KeyProvider {
 public:
  // jitter: see http::Retrier (null = random).
  static Result<std::unique_ptr<AzureKvProvider>> New(AzureKvConfig config,
                                                      std::shared_ptr<const http::HttpClient> client,
                                                      std::shared_ptr<const http::Clock> clock,
                                                      std::function<double()> jitter = nullptr);

  const std::string& Id() const override { return config_.provider_id; }
  // InvalidArgument for an empty key or one too long for the algorithm; DataLoss when Key Vault's
  // answer names another key or no version.
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  // InvalidArgument, without a request, for a blob that is not a WrappedKeyBlob of this
  // provider's vault and key name; InvalidArgument for a value Key Vault cannot unwrap.
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

  // Token requests made so far (for tests: the token is cached across calls).
  int TokenFetches() const { return tokens_.Fetches(); }

 private:
  AzureKvProvider(AzureKvConfig config, std::shared_ptr<const http::HttpClient> client,
                  std::shared_ptr<const http::Clock> clock, std::function<double()> jitter);

  Result<http::HttpRequest> BuildTokenRequest() const;
  http::HttpRequest BuildKeyRequest(const KeyVaultKeyId& key, std::string_view operation,
                                    const SecretBytes& body) const;
  // POSTs <operation> for `key` with retries and a fresh token; the parsed response object.
  Result<nlohmann::json> Call(const KeyVaultKeyId& key, std::string_view operation, const SecretBytes& body) const;
  // "<id>: Key Vault <operation>: <status message>", with the client secret masked should a
  // server ever echo it.
  Status Fail(const Status& status, std::string_view operation) const;
  // The versioned key id of this provider's key named by `kid`, or `code` naming the problem.
  Result<KeyVaultKeyId> OwnVersionedKey(std::string_view kid, StatusCode code) const;

  AzureKvConfig config_;
  http::OAuthTokenSource tokens_;
  http::Retrier retrier_;
};

// Builds AzureKvProviders from config sections. No request is made in Create: a wrong secret
// shows on the first wrap or unwrap.
class AzureKvProviderFactory : public http::HttpProviderFactory<AzureKvProvider, AzureKvConfig> {
 public:
  AzureKvProviderFactory(std::shared_ptr<const http::HttpClient> client, std::shared_ptr<const http::Clock> clock,
                         http::EnvLookup env = http::ProcessEnv())
      : HttpProviderFactory("azurekv", ParseAzureKvConfig, std::move(client), std::move(clock), std::move(env)) {}
};

}  // namespace md::kms::azure
