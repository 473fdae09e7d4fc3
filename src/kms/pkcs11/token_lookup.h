// The start-up steps of the pkcs11 provider, one PKCS#11 concern each: finding the token's slot,
// logging in, checking the mechanism, finding and checking the key-wrapping key (KEK). Messages
// name the token and the key but never the PIN; the caller prefixes the provider id.
#pragma once

#include <p11-kit/pkcs11.h>

#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "kms/pkcs11/pkcs11_config.h"

namespace md::kms::pkcs11 {

// The slot holding config's token: by label (NotFound when no token has it, FailedPrecondition
// when several do) or by slot id (NotFound for an unknown slot or an empty one).
Result<CK_SLOT_ID> FindSlot(CK_FUNCTION_LIST* fn, const Pkcs11Config& config);

// FailedPrecondition unless the slot's token supports `mechanism` for wrap and unwrap.
Status CheckWrapMechanism(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, CK_MECHANISM_TYPE mechanism,
                          const std::string& token);

// C_Login as the user; "already logged in" (another session of this process) is success.
// PermissionDenied for a wrong or locked PIN.
Status Login(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, const SecretBytes& pin, const std::string& token);

// The one secret key labelled `label` (NotFound when none, FailedPrecondition when several).
Result<CK_OBJECT_HANDLE> FindKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, const std::string& label,
                                 const std::string& token);

// FailedPrecondition unless the key is an AES key with CKA_WRAP and CKA_UNWRAP, CKA_SENSITIVE
// true and CKA_EXTRACTABLE false: a KEK that could leave the token is refused.
Status CheckKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key, const std::string& label);

}  // namespace md::kms::pkcs11
