// AwsKmsProvider: the "awskms.<name>" key provider. WrapKey is KMS Encrypt and the stored
// encrypted_data is the raw CiphertextBlob bytes; UnwrapKey is KMS Decrypt (with KeyId). Requests
// use the awsJson1_1 protocol, are SigV4-signed afresh for every attempt, and are retried per the
// configured RetryPolicy (kms-protocols.md §1). Thread-safe; never logs; errors name the provider
// and the KMS operation but never credentials or key material.
#pragma once

#include <functional>
#include <memory>

#include "kms/aws/aws_kms_config.h"
#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/http_provider_factory.h"
#include "kms/key_provider.h"

namespace md::kms::aws {

class AwsKmsProvider : public KeyProvider {
 public:
  // jitter: see http::Retrier (null = random).
  static Result<std::unique_ptr<AwsKmsProvider>> New(AwsKmsConfig config,
                                                     std::shared_ptr<const http::HttpClient> client,
                                                     std::shared_ptr<const http::Clock> clock,
                                                     std::function<double()> jitter = nullptr);

  const std::string& Id() const override { return config_.provider_id; }
  // InvalidArgument for an empty or >4096-byte key; otherwise the codes of ClassifyKmsResponse,
  // with Unavailable after the retries run out.
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  // InvalidArgument for an empty blob or one KMS rejects (InvalidCiphertext, IncorrectKey).
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

  const AwsKmsConfig& config() const { return config_; }

 private:
  AwsKmsProvider(AwsKmsConfig config, std::shared_ptr<const http::HttpClient> client,
                 std::shared_ptr<const http::Clock> clock, std::function<double()> jitter);

  // Signs and sends one operation with retries; the error carries "<id>: KMS <operation>: ".
  Result<http::HttpResponse> Call(std::string_view operation, const SecretBytes& body) const;
  Result<http::HttpRequest> BuildRequest(std::string_view operation, const SecretBytes& body) const;

  AwsKmsConfig config_;
  std::shared_ptr<const http::Clock> clock_;
  http::Retrier retrier_;
};

// Builds AwsKmsProviders from config sections. The HTTP client and clock are shared by every
// provider it creates; env is read once per Create.
class AwsKmsProviderFactory : public http::HttpProviderFactory<AwsKmsProvider, AwsKmsConfig> {
 public:
  AwsKmsProviderFactory(std::shared_ptr<const http::HttpClient> client, std::shared_ptr<const http::Clock> clock,
                        http::EnvLookup env = http::ProcessEnv())
      : HttpProviderFactory("awskms", ParseAwsKmsConfig, std::move(client), std::move(clock), std::move(env)) {}
};

}  // namespace md::kms::aws
