// VaultTransitProvider: the "hashicorpvault.<name>" key provider over Vault's transit secrets
// engine (kms-protocols.md §4). WrapKey is POST /v1/<mount>/encrypt/<key_ring> and the stored
// encrypted_data is the "vault:vN:..." ciphertext text; UnwrapKey is .../decrypt/<key_ring>. Every
// request carries X-Vault-Token and is retried per the RetryPolicy (412, 429, 5xx, transport).
// With a token_renewal_interval, a background thread calls renew-self on that interval until the
// provider is destroyed; a failed renewal is reported only inside a later failing call's error.
// Thread-safe; never logs; the token never appears in errors.
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/http_provider_factory.h"
#include "kms/key_provider.h"
#include "kms/vault/token_renewer.h"
#include "kms/vault/vault_config.h"

namespace md::kms::vault {

class VaultTransitProvider : public KeyProvider {
 public:
  // jitter: see http::Retrier (null = random).
  static Result<std::unique_ptr<VaultTransitProvider>> New(VaultConfig config,
                                                           std::shared_ptr<const http::HttpClient> client,
                                                           std::shared_ptr<const http::Clock> clock,
                                                           std::function<double()> jitter = nullptr);
  ~VaultTransitProvider() override;

  const std::string& Id() const override { return config_.provider_id; }
  // InvalidArgument for an empty key; PermissionDenied for a bad token or policy (403);
  // InvalidArgument for other 4xx; Unavailable after the retries run out.
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  // InvalidArgument for anything that is not "vault:v<N>:<base64>" or that Vault cannot decrypt.
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

  // One POST /v1/auth/token/renew-self, no retries (the next tick is the retry).
  Status RenewToken() const;
  // Renewal runs so far (0 when renewal is off).
  int TokenRenewals() const { return renewer_ ? renewer_->Runs() : 0; }

  const VaultConfig& config() const { return config_; }

 private:
  VaultTransitProvider(VaultConfig config, std::shared_ptr<const http::HttpClient> client,
                       std::shared_ptr<const http::Clock> clock, std::function<double()> jitter);

  http::HttpRequest BuildRequest(const std::string& path, const SecretBytes& body) const;
  // POSTs to the transit endpoint `operation` with retries and returns the response's "data"
  // object; errors carry "<id>: Vault <operation>: " and the last renewal failure, if any.
  Result<nlohmann::json> Transit(const std::string& operation, const SecretBytes& body) const;
  Status WithContext(const Status& status, const std::string& operation) const;

  VaultConfig config_;
  std::shared_ptr<const http::HttpClient> client_;
  http::Retrier retrier_;
  std::unique_ptr<TokenRenewer> renewer_;  // last: stopped before the members it uses go away
};

// Builds VaultTransitProviders from config sections. The HTTP client and clock are shared by
// every provider it creates; env (VAULT_ADDR, VAULT_TOKEN) is read once per Create.
class VaultTransitProviderFactory : public http::HttpProviderFactory<VaultTransitProvider, VaultConfig> {
 public:
  VaultTransitProviderFactory(std::shared_ptr<const http::HttpClient> client, std::shared_ptr<const http::Clock> clock,
                              http::EnvLookup env = http::ProcessEnv())
      : HttpProviderFactory("hashicorpvault", ParseVaultConfig, std::move(client), std::move(clock), std::move(env)) {}
};

}  // namespace md::kms::vault
