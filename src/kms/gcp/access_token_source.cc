#include "kms/gcp/access_token_source.h"

#include "kms/gcp/gcp_errors.h"
#include "kms/gcp/jwt_assertion.h"
#include "kms/http/json_secrets.h"

namespace md::kms::gcp {

AccessTokenSource::AccessTokenSource(TokenSourceOptions options, std::shared_ptr<const http::HttpClient> client,
                                     std::shared_ptr<const http::Clock> clock, std::function<double()> jitter)
    : http::OAuthTokenSource([this] { return BuildRequest(); }, ClassifyTokenResponse, options.retry,
                             std::move(client), clock, std::move(jitter), options.refresh_margin),
      options_(std::move(options)),
      clock_(std::move(clock)) {}

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

}  // namespace md::kms::gcp
