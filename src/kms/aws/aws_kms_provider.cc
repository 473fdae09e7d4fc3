#include "kms/aws/aws_kms_provider.h"

#include <nlohmann/json.hpp>

#include "kms/aws/aws_kms_errors.h"
#include "kms/http/json_secrets.h"

namespace md::kms::aws {
namespace {

constexpr std::size_t kMaxPlaintext = 4096;

// {"KeyId":<key_id>,"<field>":"<base64 of bytes>"} in wiped memory.
SecretBytes JsonBody(const std::string& key_id, std::string_view field, ByteView bytes) {
  return http::JsonWithBase64Secret({{"KeyId", key_id}}, field, bytes);
}

}  // namespace

AwsKmsProvider::AwsKmsProvider(AwsKmsConfig config, std::shared_ptr<const http::HttpClient> client,
                               std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : config_(std::move(config)), clock_(clock), retrier_(std::move(client), clock, config_.retry, std::move(jitter)) {}

Result<std::unique_ptr<AwsKmsProvider>> AwsKmsProvider::New(AwsKmsConfig config,
                                                            std::shared_ptr<const http::HttpClient> client,
                                                            std::shared_ptr<const http::Clock> clock,
                                                            std::function<double()> jitter) {
  if (!client || !clock) return InvalidArgumentError(config.provider_id + ": no HTTP client or clock");
  if (config.key_id.empty()) return InvalidArgumentError(config.provider_id + ": key_id is required");
  return std::unique_ptr<AwsKmsProvider>(
      new AwsKmsProvider(std::move(config), std::move(client), std::move(clock), std::move(jitter)));
}

Result<http::HttpRequest> AwsKmsProvider::BuildRequest(std::string_view operation,
                                                       const SecretBytes& body) const {
  http::HttpRequest request;
  request.url = config_.endpoint.ToString();
  request.timeout = config_.request_timeout;
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"Host", config_.endpoint.HostHeader()},
                     {"X-Amz-Date", FormatAmzDate(clock_->Now())},
                     {"X-Amz-Target", "TrentService." + std::string(operation)}};
  if (!config_.credentials.session_token.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token", config_.credentials.session_token.InsecureString());
  }
  SigV4Request to_sign{"POST", config_.endpoint.path, {}, request.headers, AsString(body.view())};
  Result<SigV4Signature> signature = SignV4(to_sign, config_.credentials, {config_.region, "kms"});
  if (!signature.ok()) return signature.status();
  request.headers.emplace_back("Authorization", signature->authorization);
  request.body = SecretBytes(body.view());
  return request;
}

Result<http::HttpResponse> AwsKmsProvider::Call(std::string_view operation, const SecretBytes& body) const {
  Result<http::HttpResponse> response = retrier_.Send(
      [&]() { return BuildRequest(operation, body); }, ClassifyKmsResponse);
  if (!response.ok()) {
    return response.status().WithContext(config_.provider_id + ": KMS " + std::string(operation));
  }
  return response;
}

Result<Bytes> AwsKmsProvider::WrapKey(const SecretBytes& data_key) const {
  if (data_key.empty() || data_key.size() > kMaxPlaintext) {
    return InvalidArgumentError(config_.provider_id + ": data key must be 1..4096 bytes");
  }
  SecretBytes body = JsonBody(config_.key_id, "Plaintext", data_key.view());
  ASSIGN_OR_RETURN(http::HttpResponse response, Call("Encrypt", body));
  nlohmann::json json = nlohmann::json::parse(response.BodyText(), nullptr, false);
  Result<SecretBytes> blob = http::TakeBase64Field(json, "CiphertextBlob");
  if (!blob.ok()) return blob.status().WithContext(config_.provider_id + ": KMS Encrypt");
  if (blob->empty()) return DataLossError(config_.provider_id + ": KMS Encrypt returned an empty CiphertextBlob");
  return Bytes(blob->data(), blob->data() + blob->size());
}

Result<SecretBytes> AwsKmsProvider::UnwrapKey(ByteView wrapped_key) const {
  if (wrapped_key.empty()) return InvalidArgumentError(config_.provider_id + ": wrapped key is empty");
  SecretBytes body = JsonBody(config_.key_id, "CiphertextBlob", wrapped_key);
  ASSIGN_OR_RETURN(http::HttpResponse response, Call("Decrypt", body));
  nlohmann::json json = nlohmann::json::parse(response.BodyText(), nullptr, false);
  Result<SecretBytes> plaintext = http::TakeBase64Field(json, "Plaintext");
  if (!plaintext.ok()) return plaintext.status().WithContext(config_.provider_id + ": KMS Decrypt");
  if (plaintext->empty()) return DataLossError(config_.provider_id + ": KMS Decrypt returned an empty key");
  return plaintext;
}

}  // namespace md::kms::aws
