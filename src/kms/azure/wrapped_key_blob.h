// The data_keys.encrypted_data that an azurekv provider writes (docs/formats.md §4): the wrapkey
// result together with the versioned key id and the algorithm that made it, as one compact JSON
// object with its members in this order:
//   {"alg":"RSA-OAEP-256","kid":"https://<vault>/keys/<name>/<version>","value":"<base64url>"}
// value is the raw RSA-OAEP block (key-size bytes; 256 for RSA-2048) in base64url without padding,
// exactly as Key Vault returned it. Unwrapping sends value and alg to <kid>/unwrapkey, so a data
// key still unwraps after the vault key has been rotated.
#pragma once

#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::azure {

struct WrappedKeyBlob {
  std::string alg;  // "RSA-OAEP-256"
  std::string kid;  // versioned key URL
  Bytes value;      // the wrapped data key
};

Bytes EncodeWrappedKeyBlob(const WrappedKeyBlob& blob);

// InvalidArgument "wrapped key is not an azurekv blob ..." for anything but the object above with
// non-empty string members (other members are ignored). The kid is not checked here.
Result<WrappedKeyBlob> DecodeWrappedKeyBlob(ByteView bytes);

}  // namespace md::kms::azure
