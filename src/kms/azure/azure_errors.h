// Reading Azure error responses (kms-protocols.md §2.3, §2.4): Key Vault's
// {"error":{"code":"KeyNotFound","message":"…","innererror":{"code":"…"}}} and Microsoft Entra
// ID's {"error":"invalid_client","error_description":"AADSTS7000215: …"} from the token endpoint.
#pragma once

#include <string>

#include "kms/http/http_client.h"
#include "kms/http/retry.h"

namespace md::kms::azure {

// "Forbidden (ForbiddenByRbac): Caller is not authorized …" or "invalid_client: AADSTS7000215: …"
// (at most 512 characters); "error" when the body has neither.
std::string AzureErrorMessage(const http::HttpResponse& response);

// 2xx success; 408, 429, 500, 502, 503 and 504 retry (Unavailable, honouring Retry-After);
// otherwise kFail: 401/403 PermissionDenied, 404 NotFound, 409 FailedPrecondition, other 4xx
// InvalidArgument. The message is "<code>: <message> (HTTP <status>)", never the request.
http::Classification ClassifyKeyVaultResponse(const http::HttpResponse& response);

// The token endpoint: as above, except that every non-retryable 4xx (invalid_client,
// invalid_scope, unauthorized_client, ...) is PermissionDenied: the credentials were refused.
http::Classification ClassifyEntraTokenResponse(const http::HttpResponse& response);

}  // namespace md::kms::azure
