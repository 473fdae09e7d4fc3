#include "crypto/envelope_format.h"

#include <algorithm>

#include "common/encoding.h"

namespace md::crypto {
namespace {
constexpr uint8_t kKeyIdDelimiter = '#';
}  // namespace

bool IsEnvelope(ByteView blob) { return !blob.empty() && blob[0] == kKeyIdDelimiter; }

Result<EnvelopeParts> ParseEnvelope(ByteView blob) {
  if (blob.empty()) return InvalidArgumentError("unable to decrypt empty payload");
  if (!IsEnvelope(blob)) return InvalidArgumentError("not an envelope value: no leading '#'");
  ByteView rest = blob.subspan(1);
  auto end = std::find(rest.begin(), rest.end(), kKeyIdDelimiter);
  if (end == rest.end()) {
    return InvalidArgumentError("could not find valid key id in encrypted payload");
  }
  std::size_t encoded_size = static_cast<std::size_t>(end - rest.begin());
  auto key_id = Base64DecodeAny(AsString(rest.first(encoded_size)));
  if (!key_id.ok()) {
    return InvalidArgumentError("envelope key id is not valid base64: " +
                                key_id.status().message());
  }
  if (key_id->empty() || key_id->size() > kMaxKeyIdSize) {
    return InvalidArgumentError("envelope key id must be 1 to 100 bytes, got " +
                                std::to_string(key_id->size()));
  }
  return EnvelopeParts{std::string(AsString(*key_id)), rest.subspan(encoded_size + 1)};
}

Bytes BuildEnvelope(std::string_view key_id, ByteView inner) {
  std::string encoded = Base64EncodeRaw(AsBytes(key_id));
  Bytes out;
  out.reserve(encoded.size() + 2 + inner.size());
  out.push_back(kKeyIdDelimiter);
  out.insert(out.end(), encoded.begin(), encoded.end());
  out.push_back(kKeyIdDelimiter);
  out.insert(out.end(), inner.begin(), inner.end());
  return out;
}

}  // namespace md::crypto
