// md-softhsm-token: sets up a SoftHSM2 token with a key-wrapping key for the integration tests
// (tests/integration/kms_pkcs11_test.py), using the same helper as the unit tests.
//
//   md-softhsm-token <dir> <token-label> <pin> <key-label>
//
// Writes <dir>/softhsm2.conf (tokens in <dir>/tokens), initialises the token with softhsm2-util,
// generates a non-extractable AES-256 key with CKA_WRAP/CKA_UNWRAP on it, and prints
// "SOFTHSM2_CONF=<path>" and "slot=<id>". Exit code 1 with one line on stderr on failure.
#include <cstdio>
#include <string>

#include "kms/pkcs11/testing/softhsm_token.h"

namespace {

md::Status Setup(const std::string& dir, const std::string& token, const std::string& pin,
                 const std::string& key) {
  using namespace md::kms::pkcs11;
  ASSIGN_OR_RETURN(std::unique_ptr<testing::SoftHsm> hsm, testing::SoftHsm::Create(dir));
  if (md::Status s = hsm->InitToken(token, pin); !s.ok()) return s;
  ASSIGN_OR_RETURN(std::shared_ptr<const Pkcs11Module> module, Pkcs11Module::Load(testing::kSoftHsmModule));
  if (md::Status s = testing::GenerateKey(*module, token, pin, {.label = key}); !s.ok()) return s;
  ASSIGN_OR_RETURN(CK_SLOT_ID slot, testing::SlotOfToken(*module, token));
  std::printf("SOFTHSM2_CONF=%s\nslot=%lu\n", hsm->conf_path().c_str(), slot);
  return md::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: md-softhsm-token <dir> <token-label> <pin> <key-label>\n");
    return 2;
  }
  md::Status status = Setup(argv[1], argv[2], argv[3], argv[4]);
  if (!status.ok()) {
    std::fprintf(stderr, "md-softhsm-token: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
