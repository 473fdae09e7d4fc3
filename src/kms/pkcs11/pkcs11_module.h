// Pkcs11Module: a PKCS#11 library (e.g. SoftHSM2's /usr/lib/softhsm/libsofthsm2.so) loaded with
// dlopen, its C_GetFunctionList table, and C_Initialize with CKF_OS_LOCKING_OK so that every
// function may be called from any thread.
//
// PKCS#11 initialisation belongs to the process, not to a caller: C_Initialize and C_Finalize must
// pair up once per process even when several providers (or tests) use the same module. So Load()
// keeps one instance per module file (by canonical path) and the last owner to let go calls
// C_Finalize. This is the only process-wide state of the pkcs11 provider.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace md::kms::pkcs11 {

class Pkcs11Module {
 public:
  // InvalidArgument when the file does not exist or is not a PKCS#11 library (the message names
  // the path and dlopen's reason); C_Initialize errors as CkrError ("C_Initialize: CKR_...").
  // A path without '/' is searched for by dlopen.
  static Result<std::shared_ptr<const Pkcs11Module>> Load(const std::string& path);

  Pkcs11Module(const Pkcs11Module&) = delete;
  Pkcs11Module& operator=(const Pkcs11Module&) = delete;
  ~Pkcs11Module();

  // The function table; valid for the lifetime of this object. Thread-safe to call.
  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::string& path() const { return path_; }

 private:
  Pkcs11Module(std::string path, void* handle, CK_FUNCTION_LIST* functions, bool finalize)
      : path_(std::move(path)), handle_(handle), functions_(functions), finalize_(finalize) {}
  static Result<std::unique_ptr<Pkcs11Module>> Open(const std::string& path);

  std::string path_;
  void* handle_;                 // from dlopen
  CK_FUNCTION_LIST* functions_;  // from C_GetFunctionList
  bool finalize_;                // we initialised it, so we finalise it
};

}  // namespace md::kms::pkcs11
