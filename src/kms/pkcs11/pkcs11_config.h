// Pkcs11Config: the validated settings of one [security.encryption.pkcs11.<name>] section
// (docs/key-providers.md, "PKCS#11"). The PIN is best given as $__file{...} or $__env{...}; the
// config loader has expanded those by the time this parser sees the section.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "config/settings.h"

namespace md::kms::pkcs11 {

struct Pkcs11Config {
  std::string provider_id;          // "pkcs11.hsm"
  std::string module;               // the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
  std::string token_label;          // the token to use, by CK_TOKEN_INFO.label ...
  std::optional<uint64_t> slot;     // ... or by slot id (exactly one of the two is set)
  SecretBytes pin;                  // the user PIN; never in errors
  std::string key_label;            // CKA_LABEL of the AES key-wrapping key on the token
};

// Errors are InvalidArgument, one line, naming the provider id and the key
// ("pkcs11.hsm: key_label is required"); the PIN never appears in them.
Result<Pkcs11Config> ParsePkcs11Config(const config::ProviderSection& section);

// "token \"<label>\"" or "slot <id>", for messages.
std::string DescribeToken(const Pkcs11Config& config);

}  // namespace md::kms::pkcs11
