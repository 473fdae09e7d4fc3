#include "kms/pkcs11/wrapped_key_format.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace md::kms::pkcs11 {

bool IsWrappableKeySize(std::size_t size) { return size >= 8 && size <= kMaxDataKeySize && size % 8 == 0; }

Bytes EncodeWrappedKey(CK_MECHANISM_TYPE mechanism, ByteView wrapped) {
  Bytes blob(kWrappedKeyHeaderSize + wrapped.size());
  blob[0] = kWrappedKeyVersion;
  for (int i = 0; i < 4; ++i) blob[1 + i] = static_cast<uint8_t>(mechanism >> (24 - 8 * i));
  std::copy(wrapped.begin(), wrapped.end(), blob.begin() + kWrappedKeyHeaderSize);
  return blob;
}

Result<ByteView> ParseWrappedKey(ByteView blob, CK_MECHANISM_TYPE mechanism) {
  if (blob.size() < kWrappedKeyHeaderSize) return InvalidArgumentError("wrapped key is too short");
  if (blob[0] != kWrappedKeyVersion) {
    return InvalidArgumentError("wrapped key has unknown format version " + std::to_string(blob[0]));
  }
  CK_MECHANISM_TYPE stored = (CK_MECHANISM_TYPE{blob[1]} << 24) | (CK_MECHANISM_TYPE{blob[2]} << 16) |
                             (CK_MECHANISM_TYPE{blob[3]} << 8) | CK_MECHANISM_TYPE{blob[4]};
  if (stored != mechanism) {
    char hex[32];
    std::snprintf(hex, sizeof(hex), "0x%lx", stored);
    return InvalidArgumentError(std::string("wrapped key was made with another mechanism (") + hex + ")");
  }
  ByteView wrapped = blob.subspan(kWrappedKeyHeaderSize);
  if (wrapped.size() < 8 || !IsWrappableKeySize(wrapped.size() - 8)) {
    return InvalidArgumentError("wrapped key has a bad length (" + std::to_string(wrapped.size()) + " bytes)");
  }
  return wrapped;
}

}  // namespace md::kms::pkcs11
