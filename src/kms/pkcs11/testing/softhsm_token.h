// Test helper: a private SoftHSM2 installation in a directory of its own (softhsm2.conf and
// tokens/, kms-protocols.md §5.1), tokens initialised with softhsm2-util, and AES keys generated on
// them through the module itself (C_GenerateKey), so tests need nothing but the softhsm2 package.
// Used by md_kms_pkcs11_test and, through md-softhsm-token, by tests/integration/kms_pkcs11_test.py.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "kms/pkcs11/pkcs11_module.h"

namespace md::kms::pkcs11::testing {

// Debian's SoftHSM2 module.
inline constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";

class SoftHsm {
 public:
  // Writes <dir>/softhsm2.conf pointing at <dir>/tokens and sets SOFTHSM2_CONF to it. An empty
  // dir means a new temporary one, removed on destruction. SoftHSM2 reads SOFTHSM2_CONF and its
  // tokens at C_Initialize: create the tokens before loading the module in this process.
  static Result<std::unique_ptr<SoftHsm>> Create(const std::string& dir = "");
  SoftHsm(const SoftHsm&) = delete;
  SoftHsm& operator=(const SoftHsm&) = delete;
  ~SoftHsm();

  const std::string& dir() const { return dir_; }
  std::string conf_path() const { return dir_ + "/softhsm2.conf"; }

  // softhsm2-util --init-token --free --label <label> --pin <pin> --so-pin <so_pin>.
  Status InitToken(const std::string& label, const std::string& pin, const std::string& so_pin = "12345678") const;

 private:
  SoftHsm(std::string dir, bool remove) : dir_(std::move(dir)), remove_(remove) {}
  std::string dir_;
  bool remove_;
};

// What GenerateKey makes; the defaults are a proper KEK for the pkcs11 provider.
struct KeySpec {
  std::string label;
  CK_KEY_TYPE type = CKK_AES;
  std::size_t bytes = 32;   // AES-256
  bool extractable = false;
  bool sensitive = true;
  bool wrap = true;         // CKA_WRAP and CKA_UNWRAP
};

// Generates a token key (CKA_TOKEN true) on the token labelled token_label.
Status GenerateKey(const Pkcs11Module& module, const std::string& token_label, const std::string& pin,
                   const KeySpec& spec);

// The slot id of the token labelled token_label.
Result<CK_SLOT_ID> SlotOfToken(const Pkcs11Module& module, const std::string& token_label);

// A CK_BBOOL attribute of the secret key labelled key_label (e.g. CKA_EXTRACTABLE).
Result<bool> KeyFlag(const Pkcs11Module& module, const std::string& token_label, const std::string& pin,
                     const std::string& key_label, CK_ATTRIBUTE_TYPE attribute);

}  // namespace md::kms::pkcs11::testing
