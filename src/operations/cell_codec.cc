#include "operations/cell_codec.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "crypto/storage_encoding.h"

namespace md::operations {
namespace {

using crypto::StorageEncoding;
using Json = nlohmann::ordered_json;

// One base64 string inside a JSON document: decode, rewrite, encode in the same form.
Status RewriteJsonString(Json& value, StorageEncoding encoding, const std::string& path,
                         const BlobRewriter& rewrite, int& count) {
  if (!value.is_string()) return InvalidArgumentError(path + " is not a string");
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty()) return OkStatus();  // no value stored
  auto blob = crypto::DecodeStored(text, encoding);
  if (!blob.ok()) return blob.status().WithContext(path);
  auto replaced = rewrite(*blob);
  if (!replaced.ok()) return replaced.status().WithContext(path);
  value = crypto::EncodeForStorage(*replaced, encoding);
  ++count;
  return OkStatus();
}

Status RewriteSecureSettings(Json& settings, const std::string& path, const BlobRewriter& rewrite,
                             int& count) {
  if (settings.is_null()) return OkStatus();
  if (!settings.is_object()) return InvalidArgumentError(path + " is not an object");
  for (auto& [key, value] : settings.items()) {
    Status s = RewriteJsonString(value, StorageEncoding::kBase64Padded, path + "." + key, rewrite, count);
    if (!s.ok()) return s;
  }
  return OkStatus();
}

Status RewriteAlerting(Json& doc, const BlobRewriter& rewrite, int& count) {
  auto am = doc.find("alertmanager_config");
  if (am == doc.end() || !am->is_object()) return OkStatus();
  auto receivers = am->find("receivers");
  if (receivers == am->end() || !receivers->is_array()) return OkStatus();
  for (std::size_t r = 0; r < receivers->size(); ++r) {
    auto configs = (*receivers)[r].find("grafana_managed_receiver_configs");
    if (configs == (*receivers)[r].end() || !configs->is_array()) continue;
    for (std::size_t i = 0; i < configs->size(); ++i) {
      auto secure = (*configs)[i].find("secureSettings");
      if (secure == (*configs)[i].end()) continue;
      std::string path = "receivers[" + std::to_string(r) + "].grafana_managed_receiver_configs[" +
                         std::to_string(i) + "].secureSettings";
      Status s = RewriteSecureSettings(*secure, path, rewrite, count);
      if (!s.ok()) return s;
    }
  }
  return OkStatus();
}

bool IsSsoSecretField(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"secret", "private", "certificate", "password", "client_key"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

Status RewriteSso(Json& node, const std::string& path, const BlobRewriter& rewrite, int& count) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      Status s = RewriteSso(node[i], path + "[" + std::to_string(i) + "]", rewrite, count);
      if (!s.ok()) return s;
    }
    return OkStatus();
  }
  if (!node.is_object()) return OkStatus();
  for (auto& [key, value] : node.items()) {
    std::string child = path.empty() ? key : path + "." + key;
    Status s = value.is_string() && IsSsoSecretField(key)
                   ? RewriteJsonString(value, StorageEncoding::kBase64Raw, child, rewrite, count)
                   : RewriteSso(value, child, rewrite, count);
    if (!s.ok()) return s;
  }
  return OkStatus();
}

Status RewriteProvisioning(Json& doc, const BlobRewriter& rewrite, int& count) {
  const std::pair<const char*, const char*> fields[] = {{"/spec/github/encryptedToken", "spec.github.encryptedToken"},
                                                        {"/status/webhook/encryptedSecret", "status.webhook.encryptedSecret"}};
  for (const auto& [pointer, path] : fields) {
    Json::json_pointer ptr(pointer);
    if (!doc.contains(ptr)) continue;
    Status s = RewriteJsonString(doc[ptr], StorageEncoding::kBase64Padded, path, rewrite, count);
    if (!s.ok()) return s;
  }
  return OkStatus();
}

Result<RewrittenCell> RewriteJsonDocument(CellKind kind, std::string_view cell, const BlobRewriter& rewrite) {
  Json doc = Json::parse(cell, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return InvalidArgumentError("the stored JSON is not an object");
  int count = 0;
  Status s = kind == CellKind::kAlerting ? RewriteAlerting(doc, rewrite, count)
             : kind == CellKind::kSso    ? RewriteSso(doc, "", rewrite, count)
                                         : RewriteProvisioning(doc, rewrite, count);
  if (!s.ok()) return s;
  if (count == 0) return RewrittenCell{std::string(cell), 0};
  return RewrittenCell{doc.dump(), count};
}

Result<RewrittenCell> RewriteJsonMap(std::string_view cell, const BlobRewriter& rewrite) {
  ASSIGN_OR_RETURN(auto map, crypto::DecodeSecureJsonMap(cell));
  if (map.empty()) return RewrittenCell{std::string(cell), 0};
  int count = 0;
  for (auto& [key, blob] : map) {
    if (blob.empty()) continue;  // JSON null: no value stored
    auto replaced = rewrite(blob);
    if (!replaced.ok()) return replaced.status().WithContext("key " + key);
    blob = std::move(replaced).value();
    ++count;
  }
  if (count == 0) return RewrittenCell{std::string(cell), 0};
  return RewrittenCell{crypto::EncodeSecureJsonMap(map), count};
}

Result<RewrittenCell> RewriteSingle(StorageEncoding encoding, std::string_view cell, const BlobRewriter& rewrite) {
  if (cell.empty()) return RewrittenCell{std::string(cell), 0};
  ASSIGN_OR_RETURN(Bytes blob, crypto::DecodeStored(cell, encoding));
  ASSIGN_OR_RETURN(Bytes replaced, rewrite(blob));
  return RewrittenCell{crypto::EncodeForStorage(replaced, encoding), 1};
}

}  // namespace

Result<RewrittenCell> RewriteCell(CellKind kind, std::string_view cell, const BlobRewriter& rewrite) {
  switch (kind) {
    case CellKind::kRawBlob: return RewriteSingle(StorageEncoding::kRawBlob, cell, rewrite);
    case CellKind::kBase64Padded: return RewriteSingle(StorageEncoding::kBase64Padded, cell, rewrite);
    case CellKind::kBase64Raw: return RewriteSingle(StorageEncoding::kBase64Raw, cell, rewrite);
    case CellKind::kJsonMap: return RewriteJsonMap(cell, rewrite);
    case CellKind::kAlerting:
    case CellKind::kSso:
    case CellKind::kProvisioning: return RewriteJsonDocument(kind, cell, rewrite);
  }
  return InternalError("unknown cell kind");
}

}  // namespace md::operations
