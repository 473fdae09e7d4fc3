// Hex and base64 codecs used by the stored formats (docs/formats.md).
// Base64 is the standard alphabet (A-Z a-z 0-9 + /); "raw" means without '=' padding (Go's
// RawStdEncoding), "padded" means with it (Go's StdEncoding). Base64url (RFC 4648 §5) swaps
// '+' '/' for '-' '_' and is what JOSE and Azure Key Vault use.
#pragma once

#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md {

std::string HexEncode(ByteView bytes);
// Accepts upper- and lower-case digits; odd length or a non-hex character is InvalidArgument.
Result<Bytes> HexDecode(std::string_view hex);

std::string Base64EncodePadded(ByteView bytes);
std::string Base64EncodeRaw(ByteView bytes);

// Strict RawStd decoding: '=' padding, whitespace or any non-alphabet byte is InvalidArgument,
// as are non-zero trailing bits (Go's decoder rejects those too).
Result<Bytes> Base64DecodeRaw(std::string_view text);
// Strict Std decoding: the length must be a multiple of 4 with correct '=' padding.
Result<Bytes> Base64DecodePadded(std::string_view text);
// What storage readers use: accepts padded or unpadded standard base64 (databases hold both).
Result<Bytes> Base64DecodeAny(std::string_view text);

// Base64url without padding (RFC 7515 §2, Go's RawURLEncoding).
std::string Base64UrlEncodeRaw(ByteView bytes);
// Base64url with or without '=' padding (padding, if any, must be complete); the standard
// alphabet's '+' and '/' are InvalidArgument, as are non-zero trailing bits.
Result<Bytes> Base64UrlDecode(std::string_view text);

}  // namespace md
