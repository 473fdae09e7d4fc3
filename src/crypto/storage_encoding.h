// How encrypted values are stored per table (docs/formats.md §3; grafana-formats.md §2.4, §4.3),
// in one place so no table walker re-implements it:
//   kRawBlob       dashboard_snapshot.dashboard_encrypted (BLOB column, bytes as they are)
//   kBase64Padded  user_auth.*, user_external_session.*, and the values of JSON maps
//                  (data_source/plugin_setting.secure_json_data, alerting secureSettings)
//   kBase64Raw     secrets.value, signing_key.private_key, sso_setting secret fields
// Reading accepts padded and unpadded standard base64 for both base64 encodings (databases
// hold both); writing produces exactly the listed form.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::crypto {

enum class StorageEncoding { kRawBlob, kBase64Padded, kBase64Raw };

// The blob a stored column value holds. Errors: InvalidArgument for bad base64.
Result<Bytes> DecodeStored(std::string_view stored, StorageEncoding encoding);
std::string EncodeForStorage(ByteView blob, StorageEncoding encoding);

// A secure_json_data object {"key": base64(blob), ...} -> key -> blob. A JSON null value is an
// empty blob (as Go's encoding/json gives). Errors: InvalidArgument for text that is not a JSON
// object of strings/nulls or a value that is not base64 (the message names the key, never a value).
Result<std::map<std::string, Bytes>> DecodeSecureJsonMap(std::string_view json);

// What Go's json.Marshal(map[string][]byte) writes: compact, keys sorted bytewise, values padded
// std base64, keys escaped like Go (<, >, & and U+2028/2029 as \uXXXX; invalid UTF-8 as \ufffd).
std::string EncodeSecureJsonMap(const std::map<std::string, Bytes>& values);

}  // namespace md::crypto
