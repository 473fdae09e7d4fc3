#include "kms/pkcs11/token_lookup.h"

#include <string_view>
#include <vector>

#include "kms/pkcs11/pkcs11_errors.h"

namespace md::kms::pkcs11 {
namespace {

// A fixed-size, blank-padded PKCS#11 text field without its padding.
std::string_view Trimmed(const unsigned char* field, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(field), size);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
  return text;
}

Result<std::vector<CK_SLOT_ID>> SlotsWithToken(CK_FUNCTION_LIST* fn) {
  CK_ULONG count = 0;
  if (CK_RV rv = fn->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK) return CkrError(rv, "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(count);
  if (CK_RV rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK) {
    return CkrError(rv, "C_GetSlotList");
  }
  slots.resize(count);
  return slots;
}

Result<CK_SLOT_ID> SlotById(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot) {
  CK_TOKEN_INFO info;
  CK_RV rv = fn->C_GetTokenInfo(slot, &info);
  if (rv == CKR_SLOT_ID_INVALID) return NotFoundError("no slot " + std::to_string(slot) + " in the module");
  if (rv == CKR_TOKEN_NOT_PRESENT) return NotFoundError("slot " + std::to_string(slot) + " holds no token");
  if (rv != CKR_OK) return CkrError(rv, "C_GetTokenInfo(slot " + std::to_string(slot) + ")");
  if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) {
    return FailedPreconditionError("the token in slot " + std::to_string(slot) + " is not initialised");
  }
  return slot;
}

}  // namespace

Result<CK_SLOT_ID> FindSlot(CK_FUNCTION_LIST* fn, const Pkcs11Config& config) {
  if (config.slot) return SlotById(fn, static_cast<CK_SLOT_ID>(*config.slot));
  ASSIGN_OR_RETURN(std::vector<CK_SLOT_ID> slots, SlotsWithToken(fn));
  std::vector<CK_SLOT_ID> matches;
  std::string labels;  // of the initialised tokens, for the error message
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info;
    if (fn->C_GetTokenInfo(slot, &info) != CKR_OK || (info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    std::string_view label = Trimmed(info.label, sizeof(info.label));
    if (label == config.token_label) matches.push_back(slot);
    labels += (labels.empty() ? "\"" : ", \"") + std::string(label) + "\"";
  }
  if (matches.empty()) {
    return NotFoundError("no token labelled \"" + config.token_label + "\" in module " + config.module + " (" +
                         (labels.empty() ? "it has no initialised token" : "tokens: " + labels) + ")");
  }
  if (matches.size() > 1) {
    return FailedPreconditionError(std::to_string(matches.size()) + " tokens are labelled \"" +
                                   config.token_label + "\"; choose one with slot instead");
  }
  return matches.front();
}

Status CheckWrapMechanism(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, CK_MECHANISM_TYPE mechanism,
                          const std::string& token) {
  CK_MECHANISM_INFO info;
  CK_RV rv = fn->C_GetMechanismInfo(slot, mechanism, &info);
  if (rv == CKR_OK && (info.flags & CKF_WRAP) != 0 && (info.flags & CKF_UNWRAP) != 0) return OkStatus();
  return FailedPreconditionError(token + " does not support " + CkmName(mechanism) + " for wrap and unwrap" +
                                 (rv == CKR_OK ? "" : " (" + CkrName(rv) + ")"));
}

Status Login(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, const SecretBytes& pin, const std::string& token) {
  CK_RV rv = fn->C_Login(session, CKU_USER, const_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) return OkStatus();
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE) {
    return PermissionDeniedError("login to " + token + " failed: wrong PIN (" + CkrName(rv) + ")");
  }
  return CkrError(rv, "login to " + token);
}

Result<CK_OBJECT_HANDLE> FindKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, const std::string& label,
                                 const std::string& token) {
  CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
  CK_ATTRIBUTE query[] = {{CKA_CLASS, &secret, sizeof(secret)},
                          {CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
  if (CK_RV rv = fn->C_FindObjectsInit(session, query, 2); rv != CKR_OK) return CkrError(rv, "C_FindObjectsInit");
  CK_OBJECT_HANDLE found[2];
  CK_ULONG count = 0;
  CK_RV rv = fn->C_FindObjects(session, found, 2, &count);
  fn->C_FindObjectsFinal(session);
  if (rv != CKR_OK) return CkrError(rv, "C_FindObjects");
  if (count == 0) return NotFoundError("no secret key labelled \"" + label + "\" on " + token);
  if (count > 1) {
    return FailedPreconditionError("more than one secret key is labelled \"" + label + "\" on " + token);
  }
  return found[0];
}

Status CheckKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key, const std::string& label) {
  CK_KEY_TYPE type = 0;
  CK_BBOOL wrap = CK_FALSE, unwrap = CK_FALSE, sensitive = CK_FALSE, extractable = CK_TRUE;
  CK_ATTRIBUTE attributes[] = {{CKA_KEY_TYPE, &type, sizeof(type)},
                                {CKA_WRAP, &wrap, sizeof(wrap)},
                                {CKA_UNWRAP, &unwrap, sizeof(unwrap)},
                                {CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
                                {CKA_EXTRACTABLE, &extractable, sizeof(extractable)}};
  std::string key_name = "key \"" + label + "\"";
  if (CK_RV rv = fn->C_GetAttributeValue(session, key, attributes, 5); rv != CKR_OK) {
    return CkrError(rv, "reading the attributes of " + key_name);
  }
  if (type != CKK_AES) return FailedPreconditionError(key_name + " is not an AES key (CKA_KEY_TYPE)");
  if (!wrap || !unwrap) return FailedPreconditionError(key_name + " must allow CKA_WRAP and CKA_UNWRAP");
  if (extractable || !sensitive) {
    return FailedPreconditionError(key_name + " could leave the token (CKA_EXTRACTABLE true or CKA_SENSITIVE " +
                                   "false); create the KEK non-extractable and sensitive");
  }
  return OkStatus();
}

}  // namespace md::kms::pkcs11
