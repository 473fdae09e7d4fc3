// AES-CFB128 (full-block segments) and AES-GCM over OpenSSL, for keys of 16, 24 or 32 bytes.
// The keyed-context functions are the hot path: a context is keyed once (the key schedule is
// computed once) and each call only sets a new IV. A context is not thread-safe; callers keep
// one per thread (see DerivedKey::Lease).
//
// AES-CFB is unauthenticated: a wrong key or a tampered ciphertext decrypts to garbage with no
// error. It exists only for compatibility with stored Grafana values (docs/formats.md §1).
#pragma once

#include <cstdint>
#include <span>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "crypto/openssl_util.h"

namespace md::crypto {

enum class AesMode { kCfb128, kGcm };

inline constexpr std::size_t kCfbIvSize = 16;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

// A context holding the key schedule of `key` for `mode`. Errors: InvalidArgument for a key
// that is not 16/24/32 bytes, Internal if OpenSSL fails.
Result<CipherCtxPtr> NewKeyedContext(AesMode mode, ByteView key);

// CFB128 over `in` into `out` (same length; may alias `in`). `ctx` comes from
// NewKeyedContext(kCfb128, ...). REQUIRES: out.size() == in.size(), iv.size() == 16.
Status CfbCrypt(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView in, std::span<uint8_t> out,
                bool encrypt);

// GCM encryption: ciphertext into `out` (same length as `plaintext`) and the tag into `tag`
// (1..16 bytes). `ctx` comes from NewKeyedContext(kGcm, ...). Any IV length >= 1 is accepted.
Status GcmSeal(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView aad, ByteView plaintext,
               std::span<uint8_t> out, std::span<uint8_t> tag);

// GCM decryption. Errors: DataLoss if the tag does not authenticate (and `out` is wiped),
// InvalidArgument for an empty IV or a tag that is not 1..16 bytes.
Status GcmOpen(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag,
               std::span<uint8_t> out);

}  // namespace md::crypto
