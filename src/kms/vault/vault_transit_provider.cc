#include "kms/vault/vault_transit_provider.h"

#include "kms/http/json_secrets.h"
#include "kms/vault/vault_errors.h"

namespace md::kms::vault {
namespace {

constexpr std::string_view kCiphertextPrefix = "vault:v";

// "vault:v<digits>:<base64>" with nothing else (printable ASCII only).
bool IsTransitCiphertext(std::string_view text) {
  if (!text.starts_with(kCiphertextPrefix)) return false;
  std::size_t colon = text.find(':', kCiphertextPrefix.size());
  if (colon == std::string_view::npos || colon == kCiphertextPrefix.size() || colon + 1 == text.size()) return false;
  for (std::size_t i = kCiphertextPrefix.size(); i < colon; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// The response's "data" object, or DataLoss.
Result<nlohmann::json> DataObject(const http::HttpResponse& response) {
  nlohmann::json json = nlohmann::json::parse(response.BodyText(), nullptr, false);
  if (!json.is_object() || !json.contains("data") || !json["data"].is_object()) {
    return DataLossError("the response has no data object");
  }
  return std::move(json["data"]);
}

}  // namespace

VaultTransitProvider::VaultTransitProvider(VaultConfig config, std::shared_ptr<const http::HttpClient> client,
                                           std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : config_(std::move(config)),
      client_(client),
      retrier_(std::move(client), std::move(clock), config_.retry, std::move(jitter)) {
  if (config_.token_renewal_interval.count() > 0) {
    renewer_ = std::make_unique<TokenRenewer>(config_.token_renewal_interval, [this] { return RenewToken(); });
  }
}

VaultTransitProvider::~VaultTransitProvider() { renewer_.reset(); }

Result<std::unique_ptr<VaultTransitProvider>> VaultTransitProvider::New(
    VaultConfig config, std::shared_ptr<const http::HttpClient> client, std::shared_ptr<const http::Clock> clock,
    std::function<double()> jitter) {
  if (!client || !clock) return InvalidArgumentError(config.provider_id + ": no HTTP client or clock");
  if (config.key_ring.empty()) return InvalidArgumentError(config.provider_id + ": key_ring is required");
  if (config.token.empty()) return InvalidArgumentError(config.provider_id + ": token is required");
  return std::unique_ptr<VaultTransitProvider>(
      new VaultTransitProvider(std::move(config), std::move(client), std::move(clock), std::move(jitter)));
}

http::HttpRequest VaultTransitProvider::BuildRequest(const std::string& path, const SecretBytes& body) const {
  std::string base = config_.url.ToString();
  while (!base.empty() && base.back() == '/') base.pop_back();
  http::HttpRequest request;
  request.url = base + "/v1/" + path;
  request.timeout = config_.request_timeout;
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Vault-Request", "true"},
                     {"X-Vault-Token", config_.token.InsecureString()},
                     {"Expect", ""}};
  request.body = SecretBytes(body.view());
  return request;
}

Status VaultTransitProvider::WithContext(const Status& status, const std::string& operation) const {
  Status out = status.WithContext(config_.provider_id + ": Vault " + operation);
  Status renewal = renewer_ ? renewer_->LastError() : OkStatus();
  if (renewal.ok()) return out;
  return Status(out.code(), out.message() + " (the last token renewal failed too: " + renewal.message() + ")");
}

Result<nlohmann::json> VaultTransitProvider::Transit(const std::string& operation, const SecretBytes& body) const {
  std::string path = config_.transit_path + "/" + operation + "/" + config_.key_ring;
  Result<http::HttpResponse> response = retrier_.Send(
      [&]() -> Result<http::HttpRequest> { return BuildRequest(path, body); }, ClassifyVaultResponse);
  if (!response.ok()) return WithContext(response.status(), operation);
  Result<nlohmann::json> data = DataObject(*response);
  if (!data.ok()) return WithContext(data.status(), operation);
  return data;
}

Result<Bytes> VaultTransitProvider::WrapKey(const SecretBytes& data_key) const {
  if (data_key.empty()) return InvalidArgumentError(config_.provider_id + ": data key is empty");
  SecretBytes body = http::JsonWithBase64Secret(nlohmann::json::object(), "plaintext", data_key.view());
  ASSIGN_OR_RETURN(nlohmann::json data, Transit("encrypt", body));
  if (!data.contains("ciphertext") || !data["ciphertext"].is_string() ||
      !IsTransitCiphertext(data["ciphertext"].get_ref<const std::string&>())) {
    return DataLossError(config_.provider_id + ": Vault encrypt returned no vault:v<N>: ciphertext");
  }
  return ToBytes(data["ciphertext"].get_ref<const std::string&>());
}

Result<SecretBytes> VaultTransitProvider::UnwrapKey(ByteView wrapped_key) const {
  std::string_view text = AsString(wrapped_key);
  if (!IsTransitCiphertext(text)) {
    return InvalidArgumentError(config_.provider_id + ": wrapped key is not a Vault transit ciphertext (vault:v<N>:...)");
  }
  SecretBytes body(std::string_view(nlohmann::json({{"ciphertext", std::string(text)}}).dump()));
  ASSIGN_OR_RETURN(nlohmann::json data, Transit("decrypt", body));
  Result<SecretBytes> plaintext = http::TakeBase64Field(data, "plaintext");
  if (!plaintext.ok()) return plaintext.status().WithContext(config_.provider_id + ": Vault decrypt");
  if (plaintext->empty()) return DataLossError(config_.provider_id + ": Vault decrypt returned an empty key");
  return plaintext;
}

Status VaultTransitProvider::RenewToken() const {
  Result<http::HttpResponse> response = client_->Send(BuildRequest("auth/token/renew-self", SecretBytes("{}")));
  if (!response.ok()) return response.status().WithContext("renew-self");
  http::Classification c = ClassifyVaultResponse(*response);
  if (c.verdict != http::Classification::kSuccess) return c.error.WithContext("renew-self");
  return OkStatus();
}

}  // namespace md::kms::vault
