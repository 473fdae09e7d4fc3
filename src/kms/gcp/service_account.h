// A Google service-account key file (kms-protocols.md §3.4): the fields the JWT-bearer flow needs.
#pragma once

#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::gcp {

struct ServiceAccountKey {
  std::string client_email;    // the JWT "iss"
  std::string private_key_id;  // the JWT header "kid" (may be empty)
  SecretBytes private_key_pem;  // PKCS#8 RSA key, PEM
  std::string token_uri;       // the OAuth 2.0 token endpoint (and the JWT "aud")
};

// Parses the JSON text. InvalidArgument naming the missing or malformed field; the key never
// appears in errors.
Result<ServiceAccountKey> ParseServiceAccountKey(ByteView json);

// Reads and parses a key file; InvalidArgument "cannot read <path>" when it cannot be read.
Result<ServiceAccountKey> LoadServiceAccountKey(const std::string& path);

}  // namespace md::kms::gcp
