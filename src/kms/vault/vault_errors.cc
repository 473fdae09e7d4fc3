#include "kms/vault/vault_errors.h"

#include <nlohmann/json.hpp>

namespace md::kms::vault {

std::string VaultErrorMessage(const http::HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.BodyText(), nullptr, false);
  std::string message;
  if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
    for (const nlohmann::json& e : body["errors"]) {
      if (!e.is_string()) continue;
      if (!message.empty()) message += "; ";
      message += e.get<std::string>();
    }
  }
  return http::OneLineErrorText(std::move(message));
}

http::Classification ClassifyVaultResponse(const http::HttpResponse& response) {
  int status = response.status;
  if (status >= 200 && status < 300) return {};
  bool retry = status == 412 || status == 429 || (status >= 500 && status != 501);
  return http::ClassifyHttpError(status, retry, VaultErrorMessage(response));
}

}  // namespace md::kms::vault
