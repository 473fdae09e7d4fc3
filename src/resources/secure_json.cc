#include "resources/secure_json.h"

#include "crypto/storage_encoding.h"

namespace md::resources {
namespace {

Result<EncryptedSecrets> DecodeStoredMap(std::string_view stored) {
  if (stored.empty()) {
    return EncryptedSecrets();
  }
  return crypto::DecodeSecureJsonMap(stored);
}

}  // namespace

Result<EncryptedSecrets> EncryptSecrets(secrets::SecretsManager& manager, const PlainSecrets& plain) {
  EncryptedSecrets out;
  for (const auto& [key, value] : plain) {
    auto blob = manager.Encrypt(AsBytes(value));
    if (!blob.ok()) {
      return blob.status().WithContext("cannot encrypt secureJsonData." + key);
    }
    out[key] = std::move(blob).value();
  }
  return out;
}

Result<std::string> MergeSecureJson(std::string_view stored, const EncryptedSecrets& sent) {
  ASSIGN_OR_RETURN(EncryptedSecrets merged, DecodeStoredMap(stored));
  for (const auto& [key, blob] : sent) {
    merged[key] = blob;
  }
  return crypto::EncodeSecureJsonMap(merged);
}

Result<DecryptedSecrets> DecryptSecureJson(secrets::SecretsManager& manager, std::string_view stored) {
  ASSIGN_OR_RETURN(EncryptedSecrets blobs, DecodeStoredMap(stored));
  return DecryptSecrets(manager, blobs);
}

Result<DecryptedSecrets> DecryptSecrets(secrets::SecretsManager& manager, const EncryptedSecrets& blobs) {
  DecryptedSecrets out;
  for (const auto& [key, blob] : blobs) {
    if (blob.empty()) {
      out[key] = SecretBytes();
      continue;
    }
    auto value = manager.Decrypt(blob);
    if (!value.ok()) {
      return value.status().WithContext("cannot decrypt secure field " + key);
    }
    out[key] = std::move(value).value();
  }
  return out;
}

SecureJsonFields ComputeSecureJsonFields(secrets::SecretsManager& manager, std::string_view stored) {
  SecureJsonFields result;
  auto values = DecryptSecureJson(manager, stored);
  if (!values.ok()) {
    result.error = values.status();
    return result;
  }
  for (const auto& [key, value] : *values) {
    if (!value.empty()) {
      result.fields[key] = true;
    }
  }
  return result;
}

}  // namespace md::resources
