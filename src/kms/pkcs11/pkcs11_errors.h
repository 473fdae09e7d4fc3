// PKCS#11 return values (CK_RV): their names and the Status codes of src/kms/key_provider.h.
#pragma once

#include <p11-kit/pkcs11.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace md::kms::pkcs11 {

// "CKR_PIN_INCORRECT"; unknown values as "CKR_0x<hex>".
std::string CkrName(CK_RV rv);

// "CKM_AES_KEY_WRAP_PAD (0x210a)" for the mechanisms this provider names; "CKM 0x<hex>" otherwise.
std::string CkmName(CK_MECHANISM_TYPE mechanism);

// PermissionDenied for PIN problems, Unavailable for device, token and session trouble (retryable),
// FailedPrecondition for a key or mechanism the token refuses, InvalidArgument for bad arguments
// and wrapped data, Internal otherwise. REQUIRES: rv != CKR_OK.
StatusCode CkrStatusCode(CK_RV rv);

// Status(CkrStatusCode(rv), "<context>: <CkrName(rv)>"). REQUIRES: rv != CKR_OK.
Status CkrError(CK_RV rv, std::string_view context);

// True when the session can no longer be used (closed, invalid, logged out, token or device
// gone): the caller drops it and may try once more with a new session.
bool SessionLost(CK_RV rv);

}  // namespace md::kms::pkcs11
