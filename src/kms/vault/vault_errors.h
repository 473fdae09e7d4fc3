// Reading Vault error responses (kms-protocols.md §4.6): {"errors":["...", ...]} for any status
// of 400 and above, classified by HTTP status the way the official Go client retries.
#pragma once

#include <string>

#include "kms/http/http_client.h"
#include "kms/http/retry.h"

namespace md::kms::vault {

// The "errors" joined with "; " (one line, at most 512 characters); "error" when the body has none.
std::string VaultErrorMessage(const http::HttpResponse& response);

// 2xx success; 412, 429 and 5xx other than 501 retry (Unavailable); otherwise kFail: 401/403
// PermissionDenied, 404 NotFound, 400 and other 4xx InvalidArgument. The message is
// "<errors> (HTTP <status>)"; it never contains the request or the token.
http::Classification ClassifyVaultResponse(const http::HttpResponse& response);

}  // namespace md::kms::vault
