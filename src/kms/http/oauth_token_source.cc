#include "kms/http/oauth_token_source.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace md::kms::http {
namespace {

constexpr std::chrono::seconds kDefaultLifetime{3600};

// expires_in as a number (RFC 6749) or a decimal string (Azure managed identity); nullopt if absent.
std::optional<std::chrono::seconds> ExpiresIn(const nlohmann::json& json) {
  if (!json.contains("expires_in")) return std::nullopt;
  const nlohmann::json& v = json["expires_in"];
  if (v.is_number_integer()) return std::chrono::seconds(v.get<int64_t>());
  if (!v.is_string()) return std::nullopt;
  const std::string& text = v.get_ref<const std::string&>();
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return std::chrono::seconds(seconds);
}

}  // namespace

OAuthTokenSource::OAuthTokenSource(RequestBuilder grant, ResponseClassifier classify, RetryPolicy retry,
                                   std::shared_ptr<const HttpClient> client, std::shared_ptr<const Clock> clock,
                                   std::function<double()> jitter, std::chrono::seconds refresh_margin)
    : grant_(std::move(grant)),
      classify_(std::move(classify)),
      clock_(clock),
      retrier_(std::move(client), std::move(clock), retry, std::move(jitter)),
      refresh_margin_(refresh_margin) {}

Result<SecretBytes> OAuthTokenSource::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!token_.empty() && clock_->Now() + refresh_margin_ < expires_at_) return SecretBytes(token_.view());
  Result<Token> fresh = Fetch();
  if (!fresh.ok()) return fresh.status().WithContext("token endpoint");
  token_ = SecretBytes(fresh->value.view());
  expires_at_ = fresh->expires_at;
  ++fetches_;
  return std::move(fresh->value);
}

void OAuthTokenSource::Invalidate() const {
  std::lock_guard<std::mutex> lock(mu_);
  token_ = SecretBytes();
}

int OAuthTokenSource::Fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

Result<OAuthTokenSource::Token> OAuthTokenSource::Fetch() const {
  std::chrono::system_clock::time_point requested_at = clock_->Now();
  ASSIGN_OR_RETURN(HttpResponse response, retrier_.Send(grant_, classify_));
  nlohmann::json json = nlohmann::json::parse(response.BodyText(), nullptr, false);
  if (!json.is_object() || !json.contains("access_token") || !json["access_token"].is_string()) {
    return DataLossError("the response has no access_token");
  }
  std::string& text = json["access_token"].get_ref<std::string&>();
  Token token{SecretBytes(std::string_view(text)), requested_at + ExpiresIn(json).value_or(kDefaultLifetime)};
  CleanseMemory(text.data(), text.size());
  if (token.value.empty()) return DataLossError("the response's access_token is empty");
  return token;
}

Result<HttpResponse> SendWithBearerToken(const Retrier& retrier, const OAuthTokenSource& tokens,
                                         const RequestBuilder& build, const ResponseClassifier& classify) {
  bool unauthenticated = false;
  auto with_token = [&]() -> Result<HttpRequest> {
    ASSIGN_OR_RETURN(SecretBytes token, tokens.Get());
    ASSIGN_OR_RETURN(HttpRequest request, build());
    request.headers.emplace_back("Authorization", "Bearer " + token.InsecureString());
    return request;
  };
  auto noting_401 = [&](const HttpResponse& response) {
    unauthenticated = response.status == 401;
    return classify(response);
  };
  Result<HttpResponse> response = retrier.Send(with_token, noting_401);
  if (!response.ok() && unauthenticated) {  // the cached token was revoked or expired early
    tokens.Invalidate();
    unauthenticated = false;
    response = retrier.Send(with_token, noting_401);
  }
  return response;
}

}  // namespace md::kms::http
