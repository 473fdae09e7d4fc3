// GcpKmsProvider: the "googlekms.<name>" key provider over Cloud KMS REST (kms-protocols.md §3).
// WrapKey is POST /v1/<key>:encrypt and the stored encrypted_data is the raw ciphertext bytes;
// UnwrapKey is POST /v1/<key>:decrypt. Both send CRC32C checksums and check the ones that come
// back (a mismatch is DataLoss). Requests carry a Bearer token from AccessTokenSource, looked up
// afresh for every attempt; on a 401 the token is dropped and the call is made once more.
// Thread-safe; never logs; errors never contain tokens, keys or key material.
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "kms/gcp/access_token_source.h"
#include "kms/gcp/gcp_kms_config.h"
#include "kms/http/http_provider_factory.h"
#include "kms/key_provider.h"

namespace md::kms::gcp {

class GcpKmsProvider : public KeyProvider {
 public:
  // jitter: see http::Retrier (null = random).
  static Result<std::unique_ptr<GcpKmsProvider>> New(GcpKmsConfig config,
                                                     std::shared_ptr<const http::HttpClient> client,
                                                     std::shared_ptr<const http::Clock> clock,
                                                     std::function<double()> jitter = nullptr);

  const std::string& Id() const override { return config_.provider_id; }
  // InvalidArgument for an empty or >64 KiB key; DataLoss when the checksums do not verify.
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  // InvalidArgument for a blob Cloud KMS cannot decrypt; DataLoss on a checksum mismatch.
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

  // Token requests made so far (for tests: the token is cached across calls).
  int TokenFetches() const { return tokens_.Fetches(); }

 private:
  GcpKmsProvider(GcpKmsConfig config, std::shared_ptr<const http::HttpClient> client,
                 std::shared_ptr<const http::Clock> clock, std::function<double()> jitter);

  http::HttpRequest BuildRequest(std::string_view verb, const SecretBytes& body) const;
  // POSTs :<verb> with retries, and once more with a new token after a 401; the parsed response.
  Result<nlohmann::json> Call(std::string_view verb, const SecretBytes& body) const;
  Status Fail(const Status& status, std::string_view verb) const;

  GcpKmsConfig config_;
  AccessTokenSource tokens_;
  http::Retrier retrier_;
};

// Builds GcpKmsProviders from config sections; reads the credentials file in Create.
class GcpKmsProviderFactory : public http::HttpProviderFactory<GcpKmsProvider, GcpKmsConfig> {
 public:
  GcpKmsProviderFactory(std::shared_ptr<const http::HttpClient> client, std::shared_ptr<const http::Clock> clock,
                        http::EnvLookup env = http::ProcessEnv())
      : HttpProviderFactory("googlekms", ParseGcpKmsConfig, std::move(client), std::move(clock), std::move(env)) {}
};

}  // namespace md::kms::gcp
