// The secret-bearing columns an operation walks (grafana-formats.md §4.3), each with how its
// encrypted values are laid out inside a stored cell.
#pragma once

#include <string>
#include <vector>

namespace md::operations {

enum class CellKind {
  kRawBlob,        // the cell is one blob (BLOB column)
  kBase64Padded,   // the cell is std base64 (padded) of one blob
  kBase64Raw,      // the cell is std base64 without padding of one blob
  kJsonMap,        // {"key": padded base64 blob, ...} (secure_json_data)
  kAlerting,       // alertmanager configuration JSON with secureSettings maps inside
  kSso,            // SSO settings JSON: secret-named string fields hold raw base64 blobs
  kProvisioning,   // unified-storage resource JSON: encryptedToken / encryptedSecret
};

struct SecretColumn {
  std::string table;
  std::string column;
  CellKind kind;
  std::string id_column = "id";
  std::string updated_column;  // written with the time of the change; empty: none
  // Extra WHERE condition selecting the rows that hold secrets; {name} marks an identifier to
  // quote in the database's dialect.
  std::string filter;
  // alert_notification.secure_settings: read by legacy code with secret_key only, so it is
  // re-encrypted in legacy format, never with envelope encryption.
  bool legacy_only = false;
};

// Every column of §4.3 in Grafana's order, then legacy alert_notification.secure_settings.
const std::vector<SecretColumn>& SecretColumns();

// "table.column"
std::string ColumnName(const SecretColumn& column);

}  // namespace md::operations
