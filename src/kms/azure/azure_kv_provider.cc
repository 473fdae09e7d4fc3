#include "kms/azure/azure_kv_provider.h"

#include "common/encoding.h"
#include "kms/azure/azure_errors.h"
#include "kms/azure/wrapped_key_blob.h"
#include "kms/http/json_secrets.h"

namespace md::kms::azure {
namespace {

constexpr std::size_t kMinMaskedSecret = 8;  // shorter secrets would mask ordinary words

// The string member `name` of `object`, or "".
std::string StringMember(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string WithoutTrailingSlash(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

AzureKvProvider::AzureKvProvider(AzureKvConfig config, std::shared_ptr<const http::HttpClient> client,
                                 std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : config_(std::move(config)),
      tokens_([this] { return BuildTokenRequest(); }, ClassifyEntraTokenResponse, config_.retry, client, clock,
              jitter),
      retrier_(std::move(client), std::move(clock), config_.retry, std::move(jitter)) {}

// static
Result<std::unique_ptr<AzureKvProvider>> AzureKvProvider::New(AzureKvConfig config,
                                                              std::shared_ptr<const http::HttpClient> client,
                                                              std::shared_ptr<const http::Clock> clock,
                                                              std::function<double()> jitter) {
  if (!client || !clock) return InvalidArgumentError(config.provider_id + ": no HTTP client or clock");
  if (!IsKeyName(config.key.name) || config.key.vault.host.empty()) {
    return InvalidArgumentError(config.provider_id + ": key_id and vault_uri are required");
  }
  if (config.tenant_id.empty() || config.client_id.empty() || config.client_secret.empty()) {
    return InvalidArgumentError(config.provider_id + ": tenant_id, client_id and client_secret are required");
  }
  if (!IsSupportedAlgorithm(config.algorithm)) {
    return InvalidArgumentError(config.provider_id + ": algorithm must be RSA-OAEP-256 or RSA-OAEP");
  }
  return std::unique_ptr<AzureKvProvider>(
      new AzureKvProvider(std::move(config), std::move(client), std::move(clock), std::move(jitter)));
}

Result<http::HttpRequest> AzureKvProvider::BuildTokenRequest() const {
  http::HttpRequest request;
  request.url =
      WithoutTrailingSlash(config_.authority_host.ToString()) + "/" + config_.tenant_id + "/oauth2/v2.0/token";
  request.timeout = config_.request_timeout;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Expect", ""}};
  http::AppendFormField(request.body, "client_id", config_.client_id);
  http::AppendFormField(request.body, "scope", config_.scope);
  http::AppendFormField(request.body, "client_secret", AsString(config_.client_secret.view()));
  http::AppendFormField(request.body, "grant_type", "client_credentials");
  return request;
}

http::HttpRequest AzureKvProvider::BuildKeyRequest(const KeyVaultKeyId& key, std::string_view operation,
                                                   const SecretBytes& body) const {
  http::HttpRequest request;
  request.url = WithoutTrailingSlash(key.vault.ToString()) + "/" + key.OperationPath(operation) +
                "?api-version=" + config_.api_version;
  request.timeout = config_.request_timeout;
  request.headers = {{"Content-Type", "application/json"}, {"Expect", ""}};
  request.body = SecretBytes(body.view());
  return request;
}

Status AzureKvProvider::Fail(const Status& status, std::string_view operation) const {
  std::string message = config_.provider_id + ": Key Vault " + std::string(operation) + ": " + status.message();
  std::string_view secret = AsString(config_.client_secret.view());
  for (std::size_t at = 0; secret.size() >= kMinMaskedSecret && (at = message.find(secret, at)) != std::string::npos;) {
    message.replace(at, secret.size(), "[client_secret]");
  }
  return Status(status.code(), std::move(message));
}

Result<nlohmann::json> AzureKvProvider::Call(const KeyVaultKeyId& key, std::string_view operation,
                                             const SecretBytes& body) const {
  Result<http::HttpResponse> response = http::SendWithBearerToken(
      retrier_, tokens_, [&]() -> Result<http::HttpRequest> { return BuildKeyRequest(key, operation, body); },
      ClassifyKeyVaultResponse);
  if (!response.ok()) return Fail(response.status(), operation);
  nlohmann::json json = nlohmann::json::parse(response->BodyText(), nullptr, false);
  if (!json.is_object()) return Fail(DataLossError("the response is not a JSON object"), operation);
  return json;
}

Result<KeyVaultKeyId> AzureKvProvider::OwnVersionedKey(std::string_view kid, StatusCode code) const {
  Result<KeyVaultKeyId> key = ParseKeyVaultKeyId(kid);
  if (!key.ok()) return Status(code, "kid is not a key URL: " + key.status().message());
  if (key->version.empty()) return Status(code, "kid " + std::string(kid) + " has no version");
  if (!SameKey(*key, config_.key)) {
    return Status(code, "kid " + std::string(kid) + " is not a version of " + config_.key.ToString());
  }
  key->vault = config_.key.vault;  // requests go only to the configured vault
  return key;
}

Result<Bytes> AzureKvProvider::WrapKey(const SecretBytes& data_key) const {
  std::size_t max = MaxDataKeySize(config_.algorithm);
  if (data_key.empty() || data_key.size() > max) {
    return InvalidArgumentError(config_.provider_id + ": data key must be 1.." + std::to_string(max) + " bytes for " +
                                config_.algorithm);
  }
  SecretBytes body = http::JsonWithBase64Secret({{"alg", config_.algorithm}}, "value", data_key.view(),
                                                http::Base64Style::kUrlRaw);
  ASSIGN_OR_RETURN(nlohmann::json json, Call(config_.key, "wrapkey", body));
  std::string kid = StringMember(json, "kid");
  if (Result<KeyVaultKeyId> key = OwnVersionedKey(kid, StatusCode::kDataLoss); !key.ok()) {
    return Fail(key.status(), "wrapkey");
  }
  Result<Bytes> value = Base64UrlDecode(StringMember(json, "value"));
  if (!value.ok() || value->empty()) return Fail(DataLossError("the response has no base64url value"), "wrapkey");
  return EncodeWrappedKeyBlob({config_.algorithm, kid, std::move(value).value()});
}

Result<SecretBytes> AzureKvProvider::UnwrapKey(ByteView wrapped_key) const {
  Result<WrappedKeyBlob> blob = DecodeWrappedKeyBlob(wrapped_key);
  if (!blob.ok()) return blob.status().WithContext(config_.provider_id);
  if (!IsSupportedAlgorithm(blob->alg)) {
    return InvalidArgumentError(config_.provider_id + ": wrapped key uses algorithm \"" + blob->alg +
                                "\" (RSA-OAEP-256 or RSA-OAEP expected)");
  }
  Result<KeyVaultKeyId> key = OwnVersionedKey(blob->kid, StatusCode::kInvalidArgument);
  if (!key.ok()) return key.status().WithContext(config_.provider_id);
  nlohmann::json request = {{"alg", blob->alg}, {"value", Base64UrlEncodeRaw(blob->value)}};
  ASSIGN_OR_RETURN(nlohmann::json json, Call(*key, "unwrapkey", SecretBytes(std::string_view(request.dump()))));
  Result<SecretBytes> plaintext = http::TakeBase64Field(json, "value", http::Base64Style::kUrlRaw);
  if (!plaintext.ok()) return Fail(plaintext.status(), "unwrapkey");
  if (plaintext->empty()) return Fail(DataLossError("Key Vault returned an empty key"), "unwrapkey");
  return plaintext;
}

}  // namespace md::kms::azure
