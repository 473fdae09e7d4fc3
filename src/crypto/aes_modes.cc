#include "crypto/aes_modes.h"

#include <climits>

#include <openssl/crypto.h>
#include <openssl/err.h>

namespace md::crypto {
namespace {

bool FitsInt(std::size_t n) { return n <= static_cast<std::size_t>(INT_MAX); }

// Re-arms a keyed GCM context with a new IV; the key schedule is kept.
Status SetGcmIv(EVP_CIPHER_CTX* ctx, ByteView iv, int encrypt) {
  if (iv.empty() || !FitsInt(iv.size())) return InvalidArgumentError("GCM IV must not be empty");
  if (iv.size() != kGcmNonceSize &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1) {
    return OpenSslError("setting the GCM IV length");
  }
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), encrypt) != 1) {
    return OpenSslError("setting the GCM IV");
  }
  return OkStatus();
}

Status UpdateAad(EVP_CIPHER_CTX* ctx, ByteView aad) {
  if (aad.empty()) return OkStatus();
  if (!FitsInt(aad.size())) return InvalidArgumentError("AAD too long");
  int len = 0;
  if (EVP_CipherUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
    return OpenSslError("GCM AAD");
  }
  return OkStatus();
}

// Streams `in` through the context; GCM and CFB128 never buffer, so out gets in.size() bytes.
Status Update(EVP_CIPHER_CTX* ctx, ByteView in, std::span<uint8_t> out) {
  if (in.empty()) return OkStatus();
  if (!FitsInt(in.size())) return InvalidArgumentError("value too long");
  int len = 0;
  if (EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<std::size_t>(len) != in.size()) {
    return OpenSslError("AES update");
  }
  return OkStatus();
}

}  // namespace

Result<CipherCtxPtr> NewKeyedContext(AesMode mode, ByteView key) {
  const EVP_CIPHER* cipher =
      mode == AesMode::kCfb128 ? AesCfb128ForKey(key.size()) : AesGcmForKey(key.size());
  if (cipher == nullptr) return InvalidArgumentError("AES key must be 16, 24 or 32 bytes");
  CipherCtxPtr ctx = NewCipherCtx();
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), nullptr, 1) != 1) {
    return OpenSslError("AES key setup");
  }
  return ctx;
}

Status CfbCrypt(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView in, std::span<uint8_t> out,
                bool encrypt) {
  if (iv.size() != kCfbIvSize || out.size() != in.size()) {
    return InvalidArgumentError("CFB needs a 16-byte IV and an output as long as the input");
  }
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) {
    return OpenSslError("setting the CFB IV");
  }
  return Update(ctx, in, out);
}

Status GcmSeal(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView aad, ByteView plaintext,
               std::span<uint8_t> out, std::span<uint8_t> tag) {
  if (out.size() != plaintext.size() || tag.empty() || tag.size() > kGcmTagSize) {
    return InvalidArgumentError("GCM output must match the input and the tag be 1..16 bytes");
  }
  if (Status s = SetGcmIv(ctx, iv, 1); !s.ok()) return s;
  if (Status s = UpdateAad(ctx, aad); !s.ok()) return s;
  if (Status s = Update(ctx, plaintext, out); !s.ok()) return s;
  int len = 0;
  if (EVP_CipherFinal_ex(ctx, nullptr, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()), tag.data()) !=
          1) {
    return OpenSslError("GCM finish");
  }
  return OkStatus();
}

Status GcmOpen(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag,
               std::span<uint8_t> out) {
  if (out.size() != ciphertext.size() || tag.empty() || tag.size() > kGcmTagSize) {
    return InvalidArgumentError("GCM output must match the input and the tag be 1..16 bytes");
  }
  if (Status s = SetGcmIv(ctx, iv, 0); !s.ok()) return s;
  if (Status s = UpdateAad(ctx, aad); !s.ok()) return s;
  if (Status s = Update(ctx, ciphertext, out); !s.ok()) return s;
  // OpenSSL copies the tag in; the const_cast is for its non-const ctrl signature only.
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                          const_cast<uint8_t*>(tag.data())) != 1) {
    return OpenSslError("setting the GCM tag");
  }
  int len = 0;
  if (EVP_CipherFinal_ex(ctx, nullptr, &len) != 1) {
    ERR_clear_error();
    OPENSSL_cleanse(out.data(), out.size());
    return DataLossError("authentication failed: the GCM tag does not match");
  }
  return OkStatus();
}

}  // namespace md::crypto
