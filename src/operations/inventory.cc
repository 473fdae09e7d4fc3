#include "operations/inventory.h"

#include <cstdio>
#include <mutex>

#include "crypto/envelope_format.h"
#include "crypto/legacy_payload.h"
#include "operations/table_walker.h"

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

}  // namespace

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
          {"defaultSecretKeyInUse", default_secret_key}};
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
  return out;
}

Result<Inventory> TakeInventory(store::Database& db, const kms::ProviderSet& providers,
                                bool default_secret_key, Progress* progress) {
  Inventory inv;
  inv.loaded_providers = providers.Ids();
  inv.current_provider = providers.current().Id();
  inv.default_secret_key = default_secret_key;
  secrets::DataKeyStore store(db);
  ASSIGN_OR_RETURN(auto rows, store.List());
  std::map<std::string, std::size_t> index;
  for (auto& row : rows) {
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
      std::lock_guard<std::mutex> lock(mu);
      ++inv.by_format[format];
      ++inv.by_column[name];
      if (format.rfind("legacy", 0) == 0) ++inv.legacy_values;
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
