#include "kms/azure/azure_errors.h"

#include <nlohmann/json.hpp>

namespace md::kms::azure {
namespace {

// The string member `name` of `object`, or "".
std::string Member(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool IsRetryable(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

std::string AzureErrorMessage(const http::HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.BodyText(), nullptr, false);
  std::string code, text;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {  // Key Vault
    const nlohmann::json& error = body["error"];
    code = Member(error, "code");
    text = Member(error, "message");
    std::string inner = error.contains("innererror") && error["innererror"].is_object()
                            ? Member(error["innererror"], "code") : "";
    if (!inner.empty()) code += " (" + inner + ")";
  } else if (body.is_object()) {  // Entra ID (OAuth 2.0)
    code = Member(body, "error");
    text = Member(body, "error_description");
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return http::OneLineErrorText(code.empty() || text.empty() ? code + text : code + ": " + text);
}

http::Classification ClassifyKeyVaultResponse(const http::HttpResponse& response) {
  int status = response.status;
  if (status >= 200 && status < 300) return {};
  return http::ClassifyHttpError(status, IsRetryable(status), AzureErrorMessage(response));
}

http::Classification ClassifyEntraTokenResponse(const http::HttpResponse& response) {
  return http::RefusedCredentialsAreDenied(ClassifyKeyVaultResponse(response), response.status);
}

}  // namespace md::kms::azure
