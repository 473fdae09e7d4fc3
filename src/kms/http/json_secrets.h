// Request and response bodies that carry secrets for the HTTP key providers: JSON with base64
// data keys, and form-encoded token requests with client secrets. The encoded text lives only in
// wiped memory (SecretBytes) or is wiped after use.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::http {

// How a binary field is written in JSON: standard alphabet with '=' padding (AWS, GCP, Vault), or
// base64url without padding (Azure Key Vault, JOSE).
enum class Base64Style { kStdPadded, kUrlRaw };

// Appends text to a wiped buffer.
void AppendSecret(SecretBytes& out, std::string_view text);

// Appends "name=value" to an application/x-www-form-urlencoded body, preceded by '&' unless `out`
// is empty. The value is percent-encoded (everything but A-Z a-z 0-9 - . _ ~), in wiped memory.
void AppendFormField(SecretBytes& out, std::string_view name, std::string_view value);

// The members of `fields` (a JSON object of non-secret values) plus "<field>":"<base64(secret)>"
// in `style`, in wiped memory.
SecretBytes JsonWithBase64Secret(const nlohmann::json& fields, std::string_view field, ByteView secret,
                                 Base64Style style = Base64Style::kStdPadded);

// Decodes the base64 string member `name` of `object` into wiped memory and wipes the JSON copy.
// kStdPadded accepts the standard alphabet padded or not; kUrlRaw base64url padded or not.
// DataLoss "the response has no <name>" / "the response's <name> is not base64".
Result<SecretBytes> TakeBase64Field(nlohmann::json& object, const char* name,
                                    Base64Style style = Base64Style::kStdPadded);

}  // namespace md::kms::http
