#include "kms/aws/aws_kms_errors.h"

#include <nlohmann/json.hpp>

#include <set>

namespace md::kms::aws {
namespace {

// "com.amazonaws.kms#NotFoundException:http://..." -> "NotFoundException".
std::string SanitiseType(std::string type) {
  if (std::size_t colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  if (std::size_t hash = type.find('#'); hash != std::string::npos) type = type.substr(hash + 1);
  return type;
}

bool IsRetryable(const std::string& type) {
  static const std::set<std::string> kTypes = {
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
      "RequestThrottled", "SlowDown", "EC2ThrottledException", "RequestTimeout",
      "RequestTimeoutException", "PriorRequestNotComplete", "DependencyTimeoutException",
      "KMSInternalException", "KeyUnavailableException", "ServiceUnavailableException",
      "InternalFailure", "InternalServerError"};
  return kTypes.contains(type);
}

Status StatusForType(const std::string& type, int http_status, std::string message) {
  static const std::set<std::string> kAuth = {
      "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
      "IncompleteSignatureException", "MissingAuthenticationTokenException",
      "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch"};
  static const std::set<std::string> kState = {"DisabledException", "KMSInvalidStateException",
                                               "DryRunOperationException"};
  static const std::set<std::string> kInput = {
      "InvalidCiphertextException", "IncorrectKeyException", "ValidationException",
      "SerializationException", "InvalidKeyUsageException", "InvalidGrantTokenException",
      "UnknownOperationException", "LimitExceededException"};
  if (kAuth.contains(type)) return PermissionDeniedError(std::move(message));
  if (type == "NotFoundException") return NotFoundError(std::move(message));
  if (kState.contains(type)) return FailedPreconditionError(std::move(message));
  if (kInput.contains(type)) return InvalidArgumentError(std::move(message));
  return http::StatusForHttp(http_status, std::move(message));
}

}  // namespace

AwsError ParseAwsError(const http::HttpResponse& response) {
  AwsError error;
  nlohmann::json body = nlohmann::json::parse(response.BodyText(), nullptr, false);
  if (body.is_object()) {
    for (const char* field : {"__type", "code", "Code"}) {
      if (body.contains(field) && body[field].is_string()) {
        error.type = body[field].get<std::string>();
        break;
      }
    }
    for (const char* field : {"message", "Message"}) {
      if (body.contains(field) && body[field].is_string()) {
        error.message = body[field].get<std::string>();
        break;
      }
    }
  }
  if (error.type.empty()) error.type = response.Header("X-Amzn-ErrorType").value_or("");
  error.type = SanitiseType(error.type);
  if (error.message.size() > 512) error.message.resize(512);
  return error;
}

http::Classification ClassifyKmsResponse(const http::HttpResponse& response) {
  if (response.status >= 200 && response.status < 300) return {};
  AwsError error = ParseAwsError(response);
  std::string text = error.type.empty() ? std::string("error") : error.type;
  if (!error.message.empty()) text += ": " + error.message;
  text += " (HTTP " + std::to_string(response.status) + ")";
  if (IsRetryable(error.type) || response.status == 429 || response.status >= 500) {
    return {http::Classification::kRetry, UnavailableError(std::move(text))};
  }
  return {http::Classification::kFail, StatusForType(error.type, response.status, std::move(text))};
}

}  // namespace md::kms::aws
