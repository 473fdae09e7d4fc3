// Reading AWS KMS error responses (kms-protocols.md §1.8): the sanitised error type, the message,
// and what the error means to a caller (retry, or which Status code). Classify by __type, not by
// HTTP status, since real KMS sends 400 for most client errors, including ThrottlingException.
#pragma once

#include <string>

#include "kms/http/http_client.h"
#include "kms/http/retry.h"

namespace md::kms::aws {

struct AwsError {
  std::string type;     // "NotFoundException" (sanitised); empty when the response has none
  std::string message;  // from "message" or "Message"; may be empty
};

// Reads __type (or "code", or the X-Amzn-ErrorType header) and message from an error response.
AwsError ParseAwsError(const http::HttpResponse& response);

// 2xx success; throttling, 5xx and transient types retry (Unavailable); otherwise kFail with:
// auth errors PermissionDenied, NotFoundException NotFound, Disabled/KMSInvalidState
// FailedPrecondition, bad input or ciphertext InvalidArgument. The message is
// "<type>: <message> (HTTP <status>)"; it never contains the request.
http::Classification ClassifyKmsResponse(const http::HttpResponse& response);

}  // namespace md::kms::aws
