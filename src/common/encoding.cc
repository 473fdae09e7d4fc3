#include "common/encoding.h"

#include <array>

namespace md {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using DecodeTable = std::array<int8_t, 256>;

constexpr DecodeTable MakeBase64Table(const char* alphabet) {
  DecodeTable table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr DecodeTable kBase64Table = MakeBase64Table(kBase64Alphabet);
constexpr DecodeTable kBase64UrlTable = MakeBase64Table(kBase64UrlAlphabet);

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Base64Encode(ByteView bytes, bool pad, const char* alphabet = kBase64Alphabet) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  uint32_t v = bytes[i] << 16;
  if (rest == 2) v |= bytes[i + 1] << 8;
  out += alphabet[(v >> 18) & 63];
  out += alphabet[(v >> 12) & 63];
  if (rest == 2) out += alphabet[(v >> 6) & 63];
  if (pad) out.append(rest == 1 ? "==" : "=");
  return out;
}

}  // namespace

std::string HexEncode(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgumentError("hex string has an odd length");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgumentError("hex string has a non-hex character");
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64EncodePadded(ByteView bytes) { return Base64Encode(bytes, true); }
std::string Base64EncodeRaw(ByteView bytes) { return Base64Encode(bytes, false); }

namespace {

// Unpadded decoding with `table`; see Base64DecodeRaw.
Result<Bytes> Base64DecodeWith(std::string_view text, const DecodeTable& table) {
  if (text.size() % 4 == 1) return InvalidArgumentError("base64 text has an impossible length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int8_t v = table[static_cast<uint8_t>(c)];
    if (v < 0) return InvalidArgumentError("base64 text has a character outside the alphabet");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) {
    return InvalidArgumentError("base64 text has non-zero trailing bits");
  }
  return out;
}

// `text` without its '=' padding, which must then be complete (a multiple of 4 with it).
Result<std::string_view> StripPadding(std::string_view text) {
  if (text.size() % 4 != 0) return InvalidArgumentError("padded base64 length is not a multiple of 4");
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return text.substr(0, text.size() - pad);
}

}  // namespace

Result<Bytes> Base64DecodeRaw(std::string_view text) { return Base64DecodeWith(text, kBase64Table); }

Result<Bytes> Base64DecodePadded(std::string_view text) {
  ASSIGN_OR_RETURN(std::string_view raw, StripPadding(text));
  return Base64DecodeRaw(raw);
}

Result<Bytes> Base64DecodeAny(std::string_view text) {
  if (!text.empty() && text.back() == '=') return Base64DecodePadded(text);
  return Base64DecodeRaw(text);
}

std::string Base64UrlEncodeRaw(ByteView bytes) { return Base64Encode(bytes, false, kBase64UrlAlphabet); }

Result<Bytes> Base64UrlDecode(std::string_view text) {
  if (!text.empty() && text.back() == '=') {
    ASSIGN_OR_RETURN(text, StripPadding(text));
  }
  return Base64DecodeWith(text, kBase64UrlTable);
}

}  // namespace md
