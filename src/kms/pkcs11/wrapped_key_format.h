// The bytes the pkcs11 provider stores in data_keys.encrypted_data (docs/formats.md §4):
//
//   blob    := version[1] mechanism[4] wrapped[n]
//   version := 0x01
//   mechanism := the PKCS#11 mechanism, big-endian; 0x0000210A = CKM_AES_KEY_WRAP_PAD, which
//              SoftHSM2 implements as RFC 5649 (AES key wrap with padding, "KWP")
//   wrapped := the C_WrapKey output: len(DEK) + 8 bytes, 24 for a 16-byte DEK
//
// There is no IV: KWP is deterministic and carries its own integrity check value, which
// C_UnwrapKey verifies inside the token. DEKs must be a multiple of 8 bytes (Grafana's are 16):
// SoftHSM2 2.6.1 returns an unwrapped key with its RFC 5649 zero padding still attached, so any
// other length would not come back intact.
#pragma once

#include <p11-kit/pkcs11.h>

#include <cstddef>
#include <cstdint>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::pkcs11 {

inline constexpr uint8_t kWrappedKeyVersion = 1;
inline constexpr std::size_t kWrappedKeyHeaderSize = 5;
// The data keys the provider wraps: a multiple of 8 bytes, from 8 to 1024.
inline constexpr std::size_t kMaxDataKeySize = 1024;
bool IsWrappableKeySize(std::size_t size);

// version || mechanism || wrapped.
Bytes EncodeWrappedKey(CK_MECHANISM_TYPE mechanism, ByteView wrapped);

// The wrapped part of a blob made with `mechanism`. InvalidArgument for another version or
// mechanism, or a wrapped part whose length is not that of a wrappable key plus 8.
Result<ByteView> ParseWrappedKey(ByteView blob, CK_MECHANISM_TYPE mechanism);

}  // namespace md::kms::pkcs11
