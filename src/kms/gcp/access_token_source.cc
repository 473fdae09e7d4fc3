#include "kms/gcp/access_token_source.h"

#include <nlohmann/json.hpp>

#include "kms/gcp/gcp_errors.h"
#include "kms/gcp/jwt_assertion.h"
#include "kms/http/json_secrets.h"

namespace md::kms::gcp {

AccessTokenSource::AccessTokenSource(TokenSourceOptions options, std::shared_ptr<const http::HttpClient> client,
                                     std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : options_(std::move(options)),
      clock_(clock),
      retrier_(std::move(client), std::move(clock), options_.retry, std::move(jitter)) {}

Result<SecretBytes> AccessTokenSource::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!token_.empty() && clock_->Now() + options_.refresh_margin < expires_at_) return SecretBytes(token_.view());
  Result<Token> fresh = Fetch();
  if (!fresh.ok()) return fresh.status().WithContext("token endpoint");
  token_ = SecretBytes(fresh->value.view());
  expires_at_ = fresh->expires_at;
  ++fetches_;
  return std::move(fresh->value);
}

void AccessTokenSource::Invalidate() const {
  std::lock_guard<std::mutex> lock(mu_);
  token_ = SecretBytes();
}

int AccessTokenSource::Fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

Result<http::HttpRequest> AccessTokenSource::BuildRequest() const {
  JwtClaims claims{options_.account.client_email, options_.scope, options_.token_url.ToString(), clock_->Now()};
  ASSIGN_OR_RETURN(SecretBytes assertion,
                   SignJwtAssertion(claims, options_.account.private_key_id, options_.account.private_key_pem));
  http::HttpRequest request;
  request.url = options_.token_url.ToString();
  request.timeout = options_.request_timeout;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Expect", ""}};
  http::AppendSecret(request.body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
  http::AppendSecret(request.body, AsString(assertion.view()));
  return request;
}

Result<AccessTokenSource::Token> AccessTokenSource::Fetch() const {
  std::chrono::system_clock::time_point requested_at = clock_->Now();
  ASSIGN_OR_RETURN(http::HttpResponse response,
                   retrier_.Send([this] { return BuildRequest(); }, ClassifyTokenResponse));
  nlohmann::json json = nlohmann::json::parse(response.BodyText(), nullptr, false);
  if (!json.is_object() || !json.contains("access_token") || !json["access_token"].is_string()) {
    return DataLossError("the response has no access_token");
  }
  std::string& text = json["access_token"].get_ref<std::string&>();
  Token token{SecretBytes(std::string_view(text)), requested_at + std::chrono::seconds(3600)};
  CleanseMemory(text.data(), text.size());
  if (json.contains("expires_in") && json["expires_in"].is_number()) {
    token.expires_at = requested_at + std::chrono::seconds(json["expires_in"].get<int64_t>());
  }
  if (token.value.empty()) return DataLossError("the response's access_token is empty");
  return token;
}

}  // namespace md::kms::gcp
