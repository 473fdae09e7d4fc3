#include "secrets/secrets_manager.h"

#include <openssl/rand.h>

#include "crypto/envelope_format.h"
#include "secrets/data_key_id.h"

namespace md::secrets {
namespace {

constexpr std::size_t kDataKeyBytes = 16;

Result<SecretBytes> RandomDataKey() {
  SecretBytes key(kDataKeyBytes);
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return InternalError("the random generator failed to produce a data key");
  }
  return key;
}

}  // namespace

SecretsManager::SecretsManager(store::Database& db,
                               std::shared_ptr<const crypto::EncryptionService> cipher,
                               const kms::ProviderSet& providers,
                               std::shared_ptr<const kms::SecretKeyRing> secret_keys,
                               SecretsManagerOptions options, MetricsRegistry& metrics)
    : store_(db),
      cipher_(std::move(cipher)),
      providers_(providers),
      secret_keys_(std::move(secret_keys)),
      options_(options),
      metrics_(metrics),
      cache_(options.cache_ttl) {
  cleanup_thread_ = std::thread([this] { CleanupLoop(); });
}

SecretsManager::~SecretsManager() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  cleanup_thread_.join();
}

void SecretsManager::CleanupLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, options_.cleanup_interval, [this] { return stopping_; })) {
    cache_.RemoveExpired();
  }
}

void SecretsManager::CountOp(const char* operation, bool success) {
  metrics_.CounterFamily("md_encryption_ops_total", "Secrets encrypted and decrypted, by result")
      .With({{"operation", operation}, {"success", success ? "true" : "false"}})
      .Inc();
}

void SecretsManager::CountCacheRead(const char* method, bool hit) {
  metrics_.CounterFamily("md_encryption_cache_reads_total", "Data key cache lookups, by result")
      .With({{"hit", hit ? "true" : "false"}, {"method", method}})
      .Inc();
}

void SecretsManager::BlockWrites(Status reason) {
  std::lock_guard<std::mutex> lock(state_mu_);
  write_guard_ = std::move(reason);
}

Status SecretsManager::WritesAllowed() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return write_guard_;
}

Result<Bytes> SecretsManager::Encrypt(ByteView plaintext, std::string_view scope) {
  Status guard = WritesAllowed();
  if (!guard.ok()) return guard;
  Result<Bytes> out = [&]() -> Result<Bytes> {
    if (!options_.envelope_enabled) return secret_keys_->Encrypt(plaintext);
    ASSIGN_OR_RETURN(CachedDataKey dek, CurrentDataKey(scope));
    ASSIGN_OR_RETURN(Bytes inner, cipher_->Encrypt(plaintext, *dek.key));
    return crypto::BuildEnvelope(dek.id, inner);
  }();
  CountOp("encrypt", out.ok());
  return out;
}

Result<Bytes> SecretsManager::EncryptLegacy(ByteView plaintext) {
  Status guard = WritesAllowed();
  if (!guard.ok()) return guard;
  Result<Bytes> out = secret_keys_->Encrypt(plaintext);
  CountOp("encrypt", out.ok());
  return out;
}

Result<std::string> SecretsManager::CurrentDataKeyId(std::string_view scope) {
  Status guard = WritesAllowed();
  if (!guard.ok()) return guard;
  ASSIGN_OR_RETURN(CachedDataKey dek, CurrentDataKey(scope));
  return dek.id;
}

Result<SecretBytes> SecretsManager::Decrypt(ByteView blob) {
  Result<SecretBytes> out = [&]() -> Result<SecretBytes> {
    if (blob.empty()) return InvalidArgumentError("unable to decrypt empty payload");
    if (!crypto::IsEnvelope(blob)) return secret_keys_->Decrypt(blob);
    if (!options_.envelope_enabled && !providers_forced_.load()) {
      return FailedPreconditionError(
          "failed to decrypt a secret encrypted with envelope encryption: envelope encryption is "
          "disabled");
    }
    ASSIGN_OR_RETURN(crypto::EnvelopeParts parts, crypto::ParseEnvelope(blob));
    ASSIGN_OR_RETURN(CachedDataKey dek, DataKeyById(parts.key_id));
    return cipher_->Decrypt(parts.inner, *dek.key);
  }();
  CountOp("decrypt", out.ok());
  return out;
}

// Notices a rotation (or rewrap) made by another process: at most one cheap query per
// change_check_interval, and only on the encrypt path, where a stale DEK would matter.
void SecretsManager::CheckForChanges() {
  std::lock_guard<std::mutex> lock(state_mu_);
  auto now = Clock::now();
  if (now < next_change_check_) return;
  next_change_check_ = now + options_.change_check_interval;
  auto token = store_.ChangeToken();
  if (!token.ok()) return;  // the lookup below reports database trouble
  if (*token != change_token_) {
    cache_.FlushLabels();
    change_token_ = *token;
  }
}

Result<CachedDataKey> SecretsManager::CurrentDataKey(std::string_view scope) {
  CheckForChanges();
  std::string label = DataKeyLabel(scope, providers_.current().Id(), Clock::now());
  if (auto hit = cache_.GetByLabel(label)) {
    CountCacheRead("byLabel", true);
    return *hit;
  }
  CountCacheRead("byLabel", false);
  std::lock_guard<std::mutex> lock(create_mu_);
  if (auto hit = cache_.GetByLabel(label)) return *hit;  // created while we waited
  return CreateOrLoadCurrent(label, scope);
}

Result<CachedDataKey> SecretsManager::CreateOrLoadCurrent(const std::string& label,
                                                          std::string_view scope) {
  ASSIGN_OR_RETURN(auto existing, store_.GetCurrent(label));
  if (existing) {
    ASSIGN_OR_RETURN(CachedDataKey dek, Unwrap(*existing));
    cache_.AddByLabel(dek);
    return dek;
  }
  ASSIGN_OR_RETURN(SecretBytes key, RandomDataKey());
  DataKeyRow row;
  ASSIGN_OR_RETURN(row.encrypted_data, providers_.current().WrapKey(key));
  row.id = NewDataKeyId();
  row.label = label;
  row.scope = std::string(scope);
  row.provider = providers_.current().Id();
  row.created = row.updated = Clock::now();
  // Committed in its own transaction before first use; another process may have won the race.
  ASSIGN_OR_RETURN(DataKeyRow winner, store_.CreateIfAbsent(row));
  CachedDataKey dek;
  if (winner.id == row.id) {
    dek = CachedDataKey{row.id, row.label, true, std::make_shared<const SecretBytes>(std::move(key))};
    cache_.AddById(dek);
  } else {
    ASSIGN_OR_RETURN(dek, Unwrap(winner));
  }
  cache_.AddByLabel(dek);
  return dek;
}

Result<CachedDataKey> SecretsManager::DataKeyById(const std::string& id) {
  if (auto hit = cache_.GetById(id)) {
    CountCacheRead("byId", true);
    return *hit;
  }
  CountCacheRead("byId", false);
  ASSIGN_OR_RETURN(auto row, store_.Get(id));
  if (!row) return NotFoundError("data key not found: " + id);
  return Unwrap(*row);
}

Result<CachedDataKey> SecretsManager::Unwrap(const DataKeyRow& row) {
  ASSIGN_OR_RETURN(const kms::KeyProvider* provider, providers_.Find(row.provider));
  auto key = provider->UnwrapKey(row.encrypted_data);
  if (!key.ok()) return key.status().WithContext("data key " + row.id);
  CachedDataKey dek{row.id, row.label, row.active,
                    std::make_shared<const SecretBytes>(std::move(key).value())};
  cache_.AddById(dek);
  return dek;
}

Status SecretsManager::RotateDataKeys() {
  Status guard = WritesAllowed();
  if (!guard.ok()) return guard;
  std::lock_guard<std::mutex> lock(create_mu_);
  Status s = store_.DisableAll();
  if (!s.ok()) return s.WithContext("rotating data keys");
  cache_.Flush();
  return OkStatus();
}

Result<ReEncryptDataKeysResult> SecretsManager::ReEncryptDataKeys() {
  Status guard = WritesAllowed();
  if (!guard.ok()) return guard;
  providers_forced_ = true;  // as Grafana: providers are initialised even when envelope is off
  std::lock_guard<std::mutex> lock(create_mu_);
  ASSIGN_OR_RETURN(std::vector<DataKeyRow> rows, store_.List());
  ReEncryptDataKeysResult result;
  const kms::KeyProvider& current = providers_.current();
  for (DataKeyRow& row : rows) {
    ++result.total;
    auto dek = Unwrap(row);
    if (!dek.ok()) {
      result.failures.push_back({row.id, dek.status().message()});
      continue;
    }
    auto wrapped = current.WrapKey(*dek->key);
    if (!wrapped.ok()) {
      result.failures.push_back({row.id, wrapped.status().message()});
      continue;
    }
    row.encrypted_data = std::move(wrapped).value();
    row.provider = current.Id();
    row.label = DataKeyLabel(row.scope, current.Id(), Clock::now());
    row.updated = Clock::now();
    Status s = store_.UpdateWrapping(row);
    if (!s.ok()) {
      result.failures.push_back({row.id, s.message()});
      continue;
    }
    ++result.reencrypted;
  }
  cache_.Flush();
  return result;
}

}  // namespace md::secrets
