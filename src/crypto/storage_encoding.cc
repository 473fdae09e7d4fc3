#include "crypto/storage_encoding.h"

#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace md::crypto {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (as Go's utf8.DecodeRune accepts it:
// shortest form, no surrogates, <= U+10FFFF), or 0 if it is invalid.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  std::size_t n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
  if (n == 0 || b0 > 0xF4 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  uint8_t b1 = byte(i + 1);
  if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F) || (b0 == 0xF0 && b1 < 0x90) ||
      (b0 == 0xF4 && b1 > 0x8F)) {
    return 0;
  }
  return n;
}

// Appends `s` as a JSON string the way Go's encoding/json does with HTML escaping on.
void AppendGoJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (b < 0x20 || b == '<' || b == '>' || b == '&') {
            out += "\\u00";
            out.push_back(kHex[b >> 4]);
            out.push_back(kHex[b & 0xF]);
          } else {
            out.push_back(static_cast<char>(b));
          }
      }
      ++i;
      continue;
    }
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (s.substr(i, n) == "\xE2\x80\xA8" || s.substr(i, n) == "\xE2\x80\xA9") {
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out.push_back('"');
}

}  // namespace

Result<Bytes> DecodeStored(std::string_view stored, StorageEncoding encoding) {
  if (encoding == StorageEncoding::kRawBlob) return ToBytes(stored);
  return Base64DecodeAny(stored);
}

std::string EncodeForStorage(ByteView blob, StorageEncoding encoding) {
  switch (encoding) {
    case StorageEncoding::kRawBlob: return std::string(AsString(blob));
    case StorageEncoding::kBase64Padded: return Base64EncodePadded(blob);
    case StorageEncoding::kBase64Raw: return Base64EncodeRaw(blob);
  }
  return {};
}

Result<std::map<std::string, Bytes>> DecodeSecureJsonMap(std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                             /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidArgumentError("secure JSON data is not a JSON object");
  }
  std::map<std::string, Bytes> out;
  for (const auto& [key, value] : doc.items()) {
    if (value.is_null()) {
      out[key] = Bytes();
      continue;
    }
    if (!value.is_string()) {
      return InvalidArgumentError("secure JSON data key '" + key + "' is not a string");
    }
    auto blob = Base64DecodeAny(value.get_ref<const std::string&>());
    if (!blob.ok()) {
      return InvalidArgumentError("secure JSON data key '" + key + "' is not base64");
    }
    out[key] = std::move(*blob);
  }
  return out;
}

std::string EncodeSecureJsonMap(const std::map<std::string, Bytes>& values) {
  std::string out = "{";
  for (const auto& [key, blob] : values) {
    if (out.size() > 1) out.push_back(',');
    AppendGoJsonString(key, out);
    out += ":\"";
    out += Base64EncodePadded(blob);
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

}  // namespace md::crypto
