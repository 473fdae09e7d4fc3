#include "operations/inventory.h"

#include <cstdio>
#include <mutex>

#include "crypto/envelope_format.h"
#include "crypto/legacy_payload.h"
#include "operations/table_walker.h"
#include "secrets/key_check.h"

namespace md::operations {
namespace {

// The stored format of one value (a cheap look at its first bytes: nothing is decrypted).
std::string FormatOf(ByteView blob, std::string* key_id) {
  if (crypto::IsEnvelope(blob)) {
    auto parts = crypto::ParseEnvelope(blob);
    if (!parts.ok()) return "unreadable";
    *key_id = parts->key_id;
    return "envelope";
  }
  if (blob.size() >= 2 && blob[0] == '*' && blob[1] == '*') return "legacy (empty algorithm)";
  auto legacy = crypto::ParseLegacyPayload(blob);
  if (!legacy.ok()) return "unreadable";
  if (blob.empty() || blob[0] != '*') return "legacy (no prefix)";
  return legacy->algorithm == crypto::Algorithm::kAesGcm ? "legacy aes-gcm" : "legacy aes-cfb";
}

std::string Line(const std::string& name, int64_t n) {
  char line[256];
  std::snprintf(line, sizeof line, "    %-36s %10lld\n", name.c_str(), static_cast<long long>(n));
  return line;
}

// Whether md_key_check holds the former secret_key's check value (a rotation not finished).
bool RotationRecorded(store::Database& db) {
  try {
    auto session = db.Lease();
    if (!db.TableExists(*session, "md_key_check")) return false;
    int n = 0;
    std::string row = secrets::kPreviousSecretKeyCheckRow;
    *session << "SELECT COUNT(*) FROM md_key_check WHERE provider = :p", soci::use(row), soci::into(n);
    return n > 0;
  } catch (const std::exception&) {
    return false;  // status is informative; the key check itself guards writes
  }
}

enum class SecretKeyUse { kNone, kCurrent, kPrevious, kNeither };

// Which key of a rotation a value (or data key) directly under secret_key needs; kNone when no
// rotation is under way. AES-GCM values cost one decryption: call it outside locks.
SecretKeyUse UseOf(const kms::SecretKeyRing& keys, ByteView blob) {
  if (!keys.rotating()) return SecretKeyUse::kNone;
  auto key = keys.KeyOf(blob);
  if (!key.ok()) return SecretKeyUse::kNeither;
  return *key == kms::SecretKeyRing::Key::kPrevious ? SecretKeyUse::kPrevious : SecretKeyUse::kCurrent;
}

}  // namespace

int64_t PreviousKeyUsage::values() const {
  int64_t n = 0;
  for (const auto& [column, count] : values_by_column) n += count;
  return n;
}

nlohmann::json PreviousKeyUsage::ToJson() const {
  return {{"previousSecretKeyConfigured", configured}, {"previousSecretKeyNeeded", Needed()},
          {"rotationRecorded", rotation_recorded}, {"dataKeysUnderPreviousKey", data_keys},
          {"valuesUnderPreviousKey", values_by_column}, {"valuesUnderPreviousKeyTotal", values()},
          {"underNeitherKey", under_neither_key}};
}

std::string PreviousKeyUsage::ToText() const {
  std::string out = "secret_key rotation:\n";
  if (!configured) {
    return out + (rotation_recorded
                      ? "  STARTED (md_key_check holds the former key's check value), but previous_secret_key is "
                        "not set here: set it to the former secret_key to see what still needs it\n"
                      : "  none under way (previous_secret_key is not set)\n");
  }
  if (!Needed()) {
    out += "  previous_secret_key is set and NO LONGER NEEDED: nothing is encrypted with it any more.\n"
           "  Remove it from the configuration of every replica and restart them.\n";
  } else {
    out += "  previous_secret_key is set and STILL NEEDED by " + std::to_string(data_keys.size()) +
           " data keys and " + std::to_string(values()) + " legacy values:\n";
    if (!data_keys.empty()) out += Line("data_keys.encrypted_data", static_cast<int64_t>(data_keys.size()));
    for (const auto& [column, n] : values_by_column) out += Line(column, n);
    out += "  Run re-encrypt-data-keys and re-encrypt (once every replica has previous_secret_key), then\n"
           "  status again; remove previous_secret_key only when it says NO LONGER NEEDED.\n";
  }
  if (under_neither_key > 0) {
    out += "  WARNING: " + std::to_string(under_neither_key) +
           " AES-GCM data keys or values open with neither secret_key nor previous_secret_key\n";
  }
  return out;
}

std::vector<std::string> Inventory::UnusedDataKeys() const {
  std::vector<std::string> ids;
  for (const auto& k : data_keys) {
    if (k.values == 0) ids.push_back(k.row.id);
  }
  return ids;
}

std::vector<std::string> Inventory::UnusedProviders() const {
  std::vector<std::string> out;
  for (const auto& id : loaded_providers) {
    bool used = id == current_provider || (id == "secretKey.v1" && legacy_values > 0);
    for (const auto& k : data_keys) used = used || kms::NormalizeProviderId(k.row.provider) == id;
    if (!used) out.push_back(id);
  }
  return out;
}

nlohmann::json Inventory::ToJson() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : data_keys) {
    keys.push_back({{"id", k.row.id}, {"label", k.row.label}, {"provider", k.row.provider},
                    {"active", k.row.active}, {"scope", k.row.scope},
                    {"created", secrets::FormatDbTime(k.row.created)}, {"values", k.values}});
  }
  return {{"valuesByFormat", by_format}, {"valuesByColumn", by_column}, {"missingTables", missing_tables},
          {"dataKeys", keys}, {"valuesWithMissingDataKey", values_with_missing_data_key},
          {"valuesByProvider", values_by_provider}, {"legacyValues", legacy_values},
          {"currentProvider", current_provider}, {"loadedProviders", loaded_providers},
          {"unusedDataKeys", UnusedDataKeys()}, {"unusedProviders", UnusedProviders()},
          {"defaultSecretKeyInUse", default_secret_key}, {"secretKeyRotation", previous_secret_key.ToJson()}};
}

std::string Inventory::ToText() const {
  std::string out = "Values by format:\n";
  char line[256];
  for (const auto& [format, n] : by_format) {
    std::snprintf(line, sizeof line, "  %-28s %10lld\n", format.c_str(), static_cast<long long>(n));
    out += line;
  }
  out += "Data keys:\n";
  std::snprintf(line, sizeof line, "  %-38s %-34s %-20s %-6s %8s\n", "id", "label", "provider", "active", "values");
  out += line;
  for (const auto& k : data_keys) {
    std::snprintf(line, sizeof line, "  %-38s %-34s %-20s %-6s %8lld\n", k.row.id.c_str(), k.row.label.c_str(),
                  k.row.provider.c_str(), k.row.active ? "yes" : "no", static_cast<long long>(k.values));
    out += line;
  }
  out += "Values by provider:\n";
  for (const auto& [provider, n] : values_by_provider) {
    std::snprintf(line, sizeof line, "  %-28s %10lld\n", provider.c_str(), static_cast<long long>(n));
    out += line;
  }
  std::snprintf(line, sizeof line, "  %-28s %10lld\n", "secret_key (legacy values)", static_cast<long long>(legacy_values));
  out += line;
  if (values_with_missing_data_key > 0) {
    out += "WARNING: " + std::to_string(values_with_missing_data_key) + " values point at data keys that do not exist\n";
  }
  auto unused_keys = UnusedDataKeys();
  out += "Data keys no value uses: " + (unused_keys.empty() ? std::string("none") : std::to_string(unused_keys.size())) + "\n";
  auto unused = UnusedProviders();
  out += "Providers nothing uses: ";
  for (std::size_t i = 0; i < unused.size(); ++i) out += (i ? ", " : "") + unused[i];
  out += unused.empty() ? "none\n" : "\n";
  for (const auto& t : missing_tables) out += "Table not present (skipped): " + t + "\n";
  out += std::string("Default secret_key in use: ") + (default_secret_key ? "YES - set [security] secret_key" : "no") + "\n";
  return out + previous_secret_key.ToText();
}

Result<Inventory> TakeInventory(store::Database& db, const kms::ProviderSet& providers,
                                const kms::SecretKeyRing& secret_keys, bool default_secret_key,
                                Progress* progress) {
  Inventory inv;
  inv.loaded_providers = providers.Ids();
  inv.current_provider = providers.current().Id();
  inv.default_secret_key = default_secret_key;
  PreviousKeyUsage& previous = inv.previous_secret_key;
  previous.configured = secret_keys.rotating();
  previous.rotation_recorded = RotationRecorded(db);
  secrets::DataKeyStore store(db);
  ASSIGN_OR_RETURN(auto rows, store.List());
  std::map<std::string, std::size_t> index;
  for (auto& row : rows) {
    if (kms::NormalizeProviderId(row.provider) == "secretKey.v1") {
      SecretKeyUse use = UseOf(secret_keys, row.encrypted_data);
      if (use == SecretKeyUse::kPrevious) previous.data_keys.push_back(row.id);
      if (use == SecretKeyUse::kNeither) ++previous.under_neither_key;
    }
    row.encrypted_data.clear();
    index[row.id] = inv.data_keys.size();
    inv.data_keys.push_back({std::move(row), 0});
  }
  std::mutex mu;
  TableWalker walker(db, WalkOptions{1000, /*dry_run=*/true, 0}, progress);
  std::vector<RowFailure> failures;
  for (const auto& column : SecretColumns()) {
    std::string name = ColumnName(column);
    ColumnReport report = walker.Walk(column, [&](ByteView blob) -> Result<std::optional<Bytes>> {
      std::string key_id;
      std::string format = FormatOf(blob, &key_id);
      bool legacy = format.rfind("legacy", 0) == 0;
      SecretKeyUse use = legacy ? UseOf(secret_keys, blob) : SecretKeyUse::kNone;
      std::lock_guard<std::mutex> lock(mu);
      ++inv.by_format[format];
      ++inv.by_column[name];
      if (legacy) ++inv.legacy_values;
      if (use == SecretKeyUse::kPrevious) ++previous.values_by_column[name];
      if (use == SecretKeyUse::kNeither) ++previous.under_neither_key;
      if (!key_id.empty()) {
        auto it = index.find(key_id);
        if (it == index.end()) {
          ++inv.values_with_missing_data_key;
        } else {
          DataKeyUsage& usage = inv.data_keys[it->second];
          ++usage.values;
          ++inv.values_by_provider[kms::NormalizeProviderId(usage.row.provider)];
        }
      }
      return std::optional<Bytes>();
    }, failures);
    if (report.table_missing) inv.missing_tables.push_back(column.table);
  }
  return inv;
}

}  // namespace md::operations
