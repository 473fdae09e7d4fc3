// Reading Google API error responses (kms-protocols.md §3.4, §3.5): google.rpc.Status bodies
// {"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}} from Cloud KMS, and OAuth
// bodies {"error":"invalid_grant","error_description":"…"} from the token endpoint.
#pragma once

#include <string>

#include "kms/http/http_client.h"
#include "kms/http/retry.h"

namespace md::kms::gcp {

// "RESOURCE_EXHAUSTED: Quota exceeded" or "invalid_grant: Invalid JWT Signature." (one line, at
// most 512 characters); "error" when the body has neither.
std::string GcpErrorMessage(const http::HttpResponse& response);

// 2xx success; 429, 500, 503 and 504 retry (Unavailable); otherwise kFail: 401/403
// PermissionDenied, 404 NotFound, FAILED_PRECONDITION FailedPrecondition, other 4xx
// InvalidArgument. The message is "<status>: <message> (HTTP <code>)", never the request.
http::Classification ClassifyGcpResponse(const http::HttpResponse& response);

// The token endpoint: as above, except that every non-retryable 4xx (invalid_grant,
// invalid_client, ...) is PermissionDenied, since it means the credentials were refused.
http::Classification ClassifyTokenResponse(const http::HttpResponse& response);

}  // namespace md::kms::gcp
