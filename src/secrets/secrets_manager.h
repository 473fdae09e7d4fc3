// SecretsManager: envelope encryption of secrets with data keys (grafana-formats.md §2-4).
//   Encrypt -> '#' RawStd(DEK id) '#' <legacy-cipher payload keyed by the DEK>
//   Decrypt -> either format: '#' values through their DEK, anything else through secret_key
//              (kms::SecretKeyRing: during a secret_key rotation, also previous_secret_key).
// Beyond Grafana: a new DEK is committed before it encrypts anything; DEK creation is race-free
// across processes; a rotation elsewhere is noticed within data_keys_change_check_interval; a
// wrong key (see key_check.h) blocks every write. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "crypto/encryption_service.h"
#include "kms/provider_set.h"
#include "kms/secret_key/secret_key_ring.h"
#include "secrets/data_key_cache.h"
#include "secrets/data_key_store.h"

namespace md::secrets {

struct SecretsManagerOptions {
  bool envelope_enabled = true;  // false with the disableEnvelopeEncryption toggle
  std::chrono::milliseconds cache_ttl{std::chrono::minutes(15)};
  std::chrono::milliseconds cleanup_interval{std::chrono::minutes(1)};
  std::chrono::milliseconds change_check_interval{std::chrono::seconds(5)};
};

struct DataKeyFailure {
  std::string id;
  std::string reason;
};

struct ReEncryptDataKeysResult {
  int total = 0;
  int reencrypted = 0;
  std::vector<DataKeyFailure> failures;
};

class SecretsManager {
 public:
  // secret_keys: the ring secretKey.v1 uses too; it encrypts and decrypts legacy values.
  SecretsManager(store::Database& db, std::shared_ptr<const crypto::EncryptionService> cipher,
                 const kms::ProviderSet& providers, std::shared_ptr<const kms::SecretKeyRing> secret_keys,
                 SecretsManagerOptions options, MetricsRegistry& metrics);
  ~SecretsManager();
  SecretsManager(const SecretsManager&) = delete;
  SecretsManager& operator=(const SecretsManager&) = delete;

  // Envelope value under the current DEK of (scope, current provider), creating that DEK if
  // needed; a legacy value under secret_key when envelope encryption is disabled.
  // FailedPrecondition while writes are blocked by a key mismatch.
  Result<Bytes> Encrypt(ByteView plaintext, std::string_view scope = "root");
  // A legacy value under secret_key whatever the toggles say (rollback, alert_notification),
  // AES-GCM during a secret_key rotation. FailedPrecondition while writes are blocked.
  Result<Bytes> EncryptLegacy(ByteView plaintext);
  // NotFound "data key not found" for a '#' value whose DEK is gone.
  Result<SecretBytes> Decrypt(ByteView blob);

  // The id of the current DEK of (scope, current provider), creating it if needed.
  Result<std::string> CurrentDataKeyId(std::string_view scope = "root");

  // Deactivates every DEK and flushes the cache (§4.1).
  Status RotateDataKeys();
  // Rewraps every DEK with the current provider and today's label (§4.2); rows that fail are
  // reported and skipped.
  Result<ReEncryptDataKeysResult> ReEncryptDataKeys();

  // The write guard: OK, or why writes are refused (set by the key check at start-up).
  void BlockWrites(Status reason);
  Status WritesAllowed() const;

  const kms::ProviderSet& providers() const { return providers_; }
  const kms::SecretKeyRing& secret_keys() const { return *secret_keys_; }
  DataKeyStore& store() { return store_; }
  bool envelope_enabled() const { return options_.envelope_enabled; }

 private:
  Result<CachedDataKey> CurrentDataKey(std::string_view scope);
  Result<CachedDataKey> CreateOrLoadCurrent(const std::string& label, std::string_view scope);
  Result<CachedDataKey> DataKeyById(const std::string& id);
  Result<CachedDataKey> Unwrap(const DataKeyRow& row);
  void CheckForChanges();
  void CountOp(const char* operation, bool success);
  void CountCacheRead(const char* method, bool hit);
  void CleanupLoop();

  DataKeyStore store_;
  std::shared_ptr<const crypto::EncryptionService> cipher_;
  const kms::ProviderSet& providers_;
  std::shared_ptr<const kms::SecretKeyRing> secret_keys_;
  SecretsManagerOptions options_;
  MetricsRegistry& metrics_;
  DataKeyCache cache_;

  std::mutex create_mu_;  // one DEK creation at a time in this process
  std::atomic<bool> providers_forced_{false};  // set by ReEncryptDataKeys (§3.9)
  mutable std::mutex state_mu_;
  Status write_guard_;                      // Guarded by state_mu_
  std::string change_token_;                // Guarded by state_mu_
  Clock::time_point next_change_check_{};   // Guarded by state_mu_

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // Guarded by stop_mu_
  std::thread cleanup_thread_;
};

}  // namespace md::secrets
