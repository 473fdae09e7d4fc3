#include "kms/secret_key/secret_key_ring.h"

#include "crypto/legacy_payload.h"

namespace md::kms {

// static
Result<std::shared_ptr<const SecretKeyRing>> SecretKeyRing::New(
    SecretBytes current, SecretBytes previous, std::shared_ptr<const crypto::EncryptionService> cipher) {
  if (current.empty()) return InvalidArgumentError("security.secret_key is empty");
  if (!previous.empty() && previous.Equals(current)) {
    return InvalidArgumentError(
        "security.previous_secret_key is the same as security.secret_key: during a rotation it must "
        "be the former key, and empty otherwise");
  }
  return std::shared_ptr<const SecretKeyRing>(
      new SecretKeyRing(std::move(current), std::move(previous), std::move(cipher)));
}

SecretKeyRing::SecretKeyRing(SecretBytes current, SecretBytes previous,
                             std::shared_ptr<const crypto::EncryptionService> cipher)
    : current_(std::move(current)), previous_(std::move(previous)), cipher_(std::move(cipher)) {}

Result<Bytes> SecretKeyRing::Encrypt(ByteView plaintext) const {
  if (rotating()) return cipher_->EncryptAs(crypto::Algorithm::kAesGcm, plaintext, current_);
  return cipher_->Encrypt(plaintext, current_);
}

Result<SecretKeyRing::Decrypted> SecretKeyRing::DecryptAndTell(ByteView value) const {
  ASSIGN_OR_RETURN(crypto::LegacyPayload parsed, crypto::ParseLegacyPayload(value));
  if (!rotating()) {
    ASSIGN_OR_RETURN(SecretBytes plain, cipher_->DecryptRaw(parsed.algorithm, parsed.raw, current_));
    return Decrypted{std::move(plain), Key::kCurrent};
  }
  if (parsed.algorithm != crypto::Algorithm::kAesGcm) {
    // CFB under secret_key is never written during a rotation: this value predates it.
    ASSIGN_OR_RETURN(SecretBytes plain, cipher_->DecryptRaw(parsed.algorithm, parsed.raw, previous_));
    return Decrypted{std::move(plain), Key::kPrevious};
  }
  auto current = cipher_->DecryptRaw(parsed.algorithm, parsed.raw, current_);
  if (current.ok()) return Decrypted{std::move(current).value(), Key::kCurrent};
  if (current.status().code() != StatusCode::kDataLoss) return current.status();
  auto previous = cipher_->DecryptRaw(parsed.algorithm, parsed.raw, previous_);
  if (previous.ok()) return Decrypted{std::move(previous).value(), Key::kPrevious};
  if (previous.status().code() != StatusCode::kDataLoss) return previous.status();
  return DataLossError(
      "authentication failed with security.secret_key and with security.previous_secret_key: the "
      "value is under neither key");
}

Result<SecretBytes> SecretKeyRing::Decrypt(ByteView value) const {
  ASSIGN_OR_RETURN(Decrypted d, DecryptAndTell(value));
  return std::move(d.plaintext);
}

Result<SecretKeyRing::Key> SecretKeyRing::KeyOf(ByteView value) const {
  if (!rotating()) return Key::kCurrent;
  ASSIGN_OR_RETURN(crypto::LegacyPayload parsed, crypto::ParseLegacyPayload(value));
  if (parsed.algorithm != crypto::Algorithm::kAesGcm) return Key::kPrevious;
  ASSIGN_OR_RETURN(Decrypted d, DecryptAndTell(value));
  return d.key;
}

Result<SecretBytes> SecretKeyRing::DecryptWith(Key key, ByteView value) const {
  return cipher_->Decrypt(value, Secret(key));
}

Result<Bytes> SecretKeyRing::EncryptCheckValueWith(Key key, ByteView plaintext) const {
  return cipher_->Encrypt(plaintext, Secret(key));
}

}  // namespace md::kms
