#include "kms/gcp/gcp_kms_provider.h"

#include "common/encoding.h"
#include "kms/gcp/crc32c.h"
#include "kms/gcp/gcp_errors.h"
#include "kms/http/json_secrets.h"

namespace md::kms::gcp {
namespace {

constexpr std::size_t kMaxPlaintext = 64 * 1024;

// A checksum field (an Int64Value: a decimal string, or a number) equals the CRC32C of `data`.
bool ChecksumMatches(const nlohmann::json& json, const char* field, ByteView data) {
  if (!json.contains(field)) return false;
  const nlohmann::json& v = json[field];
  std::string text = v.is_string() ? v.get<std::string>() : v.is_number_unsigned() ? v.dump() : "";
  return !text.empty() && text == Crc32cDecimal(data);
}

TokenSourceOptions TokenOptions(const GcpKmsConfig& c) {
  return {c.account, c.token_url, c.scope, c.request_timeout, c.retry};
}

}  // namespace

GcpKmsProvider::GcpKmsProvider(GcpKmsConfig config, std::shared_ptr<const http::HttpClient> client,
                               std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : config_(std::move(config)),
      tokens_(TokenOptions(config_), client, clock, jitter),
      retrier_(std::move(client), std::move(clock), config_.retry, std::move(jitter)) {}

Result<std::unique_ptr<GcpKmsProvider>> GcpKmsProvider::New(GcpKmsConfig config,
                                                            std::shared_ptr<const http::HttpClient> client,
                                                            std::shared_ptr<const http::Clock> clock,
                                                            std::function<double()> jitter) {
  if (!client || !clock) return InvalidArgumentError(config.provider_id + ": no HTTP client or clock");
  if (!IsCryptoKeyName(config.key_name)) return InvalidArgumentError(config.provider_id + ": key_id is malformed");
  return std::unique_ptr<GcpKmsProvider>(
      new GcpKmsProvider(std::move(config), std::move(client), std::move(clock), std::move(jitter)));
}

http::HttpRequest GcpKmsProvider::BuildRequest(std::string_view verb, const SecretBytes& body) const {
  std::string base = config_.endpoint.ToString();
  while (!base.empty() && base.back() == '/') base.pop_back();
  http::HttpRequest request;
  request.url = base + "/v1/" + config_.key_name + ":" + std::string(verb);
  request.timeout = config_.request_timeout;
  request.headers = {{"Content-Type", "application/json"}, {"Expect", ""}};
  request.body = SecretBytes(body.view());
  return request;
}

Status GcpKmsProvider::Fail(const Status& status, std::string_view verb) const {
  return status.WithContext(config_.provider_id + ": Cloud KMS " + std::string(verb));
}

Result<nlohmann::json> GcpKmsProvider::Call(std::string_view verb, const SecretBytes& body) const {
  Result<http::HttpResponse> response = http::SendWithBearerToken(
      retrier_, tokens_, [&]() -> Result<http::HttpRequest> { return BuildRequest(verb, body); },
      ClassifyGcpResponse);
  if (!response.ok()) return Fail(response.status(), verb);
  nlohmann::json json = nlohmann::json::parse(response->BodyText(), nullptr, false);
  if (!json.is_object()) return Fail(DataLossError("the response is not a JSON object"), verb);
  return json;
}

Result<Bytes> GcpKmsProvider::WrapKey(const SecretBytes& data_key) const {
  if (data_key.empty() || data_key.size() > kMaxPlaintext) {
    return InvalidArgumentError(config_.provider_id + ": data key must be 1..65536 bytes");
  }
  SecretBytes body = http::JsonWithBase64Secret({{"plaintextCrc32c", Crc32cDecimal(data_key.view())}}, "plaintext",
                                                data_key.view());
  ASSIGN_OR_RETURN(nlohmann::json json, Call("encrypt", body));
  if (!json.contains("verifiedPlaintextCrc32c") || json["verifiedPlaintextCrc32c"] != true) {
    return Fail(DataLossError("Cloud KMS did not verify plaintextCrc32c (the request was corrupted)"), "encrypt");
  }
  Result<SecretBytes> ciphertext = http::TakeBase64Field(json, "ciphertext");
  if (!ciphertext.ok()) return Fail(ciphertext.status(), "encrypt");
  if (ciphertext->empty() || !ChecksumMatches(json, "ciphertextCrc32c", ciphertext->view())) {
    return Fail(DataLossError("ciphertextCrc32c does not match the ciphertext (the response was corrupted)"),
                "encrypt");
  }
  return Bytes(ciphertext->data(), ciphertext->data() + ciphertext->size());
}

Result<SecretBytes> GcpKmsProvider::UnwrapKey(ByteView wrapped_key) const {
  if (wrapped_key.empty()) return InvalidArgumentError(config_.provider_id + ": wrapped key is empty");
  nlohmann::json request = {{"ciphertext", Base64EncodePadded(wrapped_key)},
                            {"ciphertextCrc32c", Crc32cDecimal(wrapped_key)}};
  ASSIGN_OR_RETURN(nlohmann::json json, Call("decrypt", SecretBytes(std::string_view(request.dump()))));
  Result<SecretBytes> plaintext = http::TakeBase64Field(json, "plaintext");
  if (!plaintext.ok()) return Fail(plaintext.status(), "decrypt");
  if (plaintext->empty() || !ChecksumMatches(json, "plaintextCrc32c", plaintext->view())) {
    return Fail(DataLossError("plaintextCrc32c does not match the plaintext (the response was corrupted)"),
                "decrypt");
  }
  return plaintext;
}

}  // namespace md::kms::gcp
