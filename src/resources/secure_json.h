// The encrypted-map logic shared by data sources and plugin settings (grafana-formats.md §8):
// stored form {"key": std-base64-padded envelope blob} (crypto::EncodeSecureJsonMap), the update
// merge rule, and secureJsonFields. Values are never logged or returned in errors.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "secrets/secrets_manager.h"

namespace md::resources {

using PlainSecrets = std::map<std::string, std::string>;   // as sent by a client
using EncryptedSecrets = std::map<std::string, Bytes>;     // key -> envelope blob
using DecryptedSecrets = std::map<std::string, SecretBytes>;

// Encrypts each value separately (an empty string becomes an encrypted empty string).
// Errors: those of SecretsManager::Encrypt, with the key (never the value) as context.
Result<EncryptedSecrets> EncryptSecrets(secrets::SecretsManager& manager, const PlainSecrets& plain);

// The merge rule: stored keys that are not in `sent` are carried over as stored ciphertext
// (never decrypted, so a value whose DEK is missing survives); keys in `sent` replace.
// Returns the new column text. InvalidArgument when `stored` is not a readable map.
Result<std::string> MergeSecureJson(std::string_view stored, const EncryptedSecrets& sent);

// Decrypts every value (an empty blob is an empty value). Errors name the key, never a value.
Result<DecryptedSecrets> DecryptSecrets(secrets::SecretsManager& manager, const EncryptedSecrets& blobs);

// Decrypts every value of a stored map. Errors name the key and the reason, never a value.
Result<DecryptedSecrets> DecryptSecureJson(secrets::SecretsManager& manager, std::string_view stored);

// secureJsonFields: true for each key whose decrypted value is non-empty. When anything cannot be
// decrypted, `fields` is empty and `error` says why (the caller logs it).
struct SecureJsonFields {
  std::map<std::string, bool> fields;
  Status error;
};
SecureJsonFields ComputeSecureJsonFields(secrets::SecretsManager& manager, std::string_view stored);

}  // namespace md::resources
