#include "kms/gcp/gcp_errors.h"

#include <nlohmann/json.hpp>

namespace md::kms::gcp {
namespace {

std::string StringOr(const nlohmann::json& json, const char* name) {
  if (json.is_object() && json.contains(name) && json[name].is_string()) return json[name].get<std::string>();
  return "";
}

std::string Join(std::string a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + ": " + b;
}

bool IsRetryable(int status) { return status == 429 || status == 500 || status == 503 || status == 504; }

}  // namespace

std::string GcpErrorMessage(const http::HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.BodyText(), nullptr, false);
  std::string message;
  if (body.is_object() && body.contains("error")) {
    const nlohmann::json& error = body["error"];
    message = error.is_object() ? Join(StringOr(error, "status"), StringOr(error, "message"))
                                : Join(StringOr(body, "error"), StringOr(body, "error_description"));
  }
  return http::OneLineErrorText(std::move(message));
}

http::Classification ClassifyGcpResponse(const http::HttpResponse& response) {
  int status = response.status;
  if (status >= 200 && status < 300) return {};
  std::string message = GcpErrorMessage(response);
  bool precondition = message.starts_with("FAILED_PRECONDITION");
  http::Classification c = http::ClassifyHttpError(status, IsRetryable(status), std::move(message));
  if (precondition && c.verdict == http::Classification::kFail) c.error = FailedPreconditionError(c.error.message());
  return c;
}

http::Classification ClassifyTokenResponse(const http::HttpResponse& response) {
  return http::RefusedCredentialsAreDenied(ClassifyGcpResponse(response), response.status);
}

}  // namespace md::kms::gcp
