#include "crypto/encryption_service.h"

#include <cstring>

#include "crypto/derived_key_cache.h"
#include "crypto/legacy_payload.h"
#include "crypto/pbkdf2.h"
#include "crypto/secure_random.h"

namespace md::crypto {
namespace {

// Decrypts a raw payload (salt onwards) whose key is already known.
Result<SecretBytes> DecryptWithKnownKey(Algorithm algorithm, ByteView raw, const DerivedKey& key) {
  if (algorithm == Algorithm::kAesGcm) {
    ASSIGN_OR_RETURN(GcmParts parts, SplitGcm(raw));
    ASSIGN_OR_RETURN(DerivedKey::Lease ctx, key.Borrow(AesMode::kGcm));
    SecretBytes out(parts.ciphertext.size());
    if (Status s = GcmOpen(ctx.get(), parts.nonce, {}, parts.ciphertext, parts.tag,
                           std::span<uint8_t>(out.data(), out.size()));
        !s.ok()) {
      return s;
    }
    return out;
  }
  ASSIGN_OR_RETURN(CfbParts parts, SplitCfb(raw));
  ASSIGN_OR_RETURN(DerivedKey::Lease ctx, key.Borrow(AesMode::kCfb128));
  SecretBytes out(parts.ciphertext.size());
  if (Status s = CfbCrypt(ctx.get(), parts.iv, parts.ciphertext,
                          std::span<uint8_t>(out.data(), out.size()), false);
      !s.ok()) {
    return s;
  }
  return out;
}

// Writes iv/nonce, ciphertext (and tag) after the prefix and salt already in `out`. An empty
// `fixed_iv` draws a fresh random IV/nonce (always, except for known-answer tests).
Status SealInto(Algorithm algorithm, ByteView plaintext, const DerivedKey& key, ByteView fixed_iv,
                std::span<uint8_t> body) {
  bool gcm = algorithm == Algorithm::kAesGcm;
  std::size_t iv_size = gcm ? kGcmNonceSize : kCfbIvSize;
  std::span<uint8_t> iv = body.first(iv_size);
  std::span<uint8_t> ct = body.subspan(iv_size, plaintext.size());
  if (fixed_iv.empty()) {
    if (Status s = SecureRandomBytes(iv); !s.ok()) return s;
  } else {
    if (fixed_iv.size() != iv_size) return InvalidArgumentError("wrong IV/nonce size");
    std::memcpy(iv.data(), fixed_iv.data(), iv_size);
  }
  ASSIGN_OR_RETURN(DerivedKey::Lease ctx, key.Borrow(gcm ? AesMode::kGcm : AesMode::kCfb128));
  if (gcm) return GcmSeal(ctx.get(), iv, {}, plaintext, ct, body.last(kGcmTagSize));
  return CfbCrypt(ctx.get(), iv, plaintext, ct, true);
}

// prefix || salt || iv/nonce || ciphertext [|| tag]
Result<Bytes> Layout(Algorithm algorithm, ByteView plaintext, ByteView salt, const DerivedKey& key,
                     ByteView fixed_iv) {
  std::string_view prefix = AlgorithmPrefix(algorithm);
  std::size_t overhead = algorithm == Algorithm::kAesGcm ? kGcmOverhead : kCfbHeaderSize;
  Bytes out(prefix.size() + overhead + plaintext.size());
  std::memcpy(out.data(), prefix.data(), prefix.size());
  std::memcpy(out.data() + prefix.size(), salt.data(), kSaltSize);
  std::span<uint8_t> body(out.data() + prefix.size() + kSaltSize, out.size() - prefix.size() - kSaltSize);
  if (Status s = SealInto(algorithm, plaintext, key, fixed_iv, body); !s.ok()) return s;
  return out;
}

}  // namespace

EncryptionService::EncryptionService(Algorithm write_algorithm)
    : write_algorithm_(write_algorithm), keys_(std::make_unique<DerivedKeyCache>()) {}

EncryptionService::EncryptionService(Algorithm write_algorithm, std::size_t cache_capacity)
    : write_algorithm_(write_algorithm),
      keys_(std::make_unique<DerivedKeyCache>(cache_capacity)) {}

EncryptionService::~EncryptionService() = default;

Result<Bytes> EncryptionService::Encrypt(ByteView plaintext, const SecretBytes& secret) const {
  return EncryptAs(write_algorithm_, plaintext, secret);
}

Result<Bytes> EncryptionService::EncryptAs(Algorithm algorithm, ByteView plaintext,
                                           const SecretBytes& secret) const {
  SecretHash hash = keys_->HashSecret(secret.view());
  ASSIGN_OR_RETURN(DerivedKeyCache::WriteKey write_key, keys_->GetWriteKey(hash, secret.view()));
  return Layout(algorithm, plaintext, write_key.salt, *write_key.key, {});
}

Result<Bytes> EncryptionService::EncryptWithSaltAndIv(ByteView plaintext, const SecretBytes& secret,
                                                      ByteView salt, ByteView iv) const {
  if (salt.size() != kSaltSize) return InvalidArgumentError("salt must be 8 bytes");
  if (iv.empty()) return InvalidArgumentError("an IV/nonce is required");
  SecretHash hash = keys_->HashSecret(secret.view());
  ASSIGN_OR_RETURN(auto key, keys_->Get(hash, secret.view(), salt));
  return Layout(write_algorithm_, plaintext, salt, *key, iv);
}

Result<SecretBytes> EncryptionService::Decrypt(ByteView payload, const SecretBytes& secret) const {
  ASSIGN_OR_RETURN(LegacyPayload parsed, ParseLegacyPayload(payload));
  return DecryptRaw(parsed.algorithm, parsed.raw, secret);
}

Result<SecretBytes> EncryptionService::DecryptRaw(Algorithm algorithm, ByteView raw,
                                                  const SecretBytes& secret) const {
  ASSIGN_OR_RETURN(ByteView salt, SaltOf(algorithm, raw));
  SecretHash hash = keys_->HashSecret(secret.view());
  ASSIGN_OR_RETURN(auto key, keys_->Get(hash, secret.view(), salt));
  return DecryptWithKey(algorithm, raw, *key);
}

Result<SecretBytes> EncryptionService::DecryptWithKey(Algorithm algorithm, ByteView raw,
                                                      const DerivedKey& key) {
  return DecryptWithKnownKey(algorithm, raw, key);
}

std::size_t EncryptionService::cached_keys() const { return keys_->size(); }

}  // namespace md::crypto
