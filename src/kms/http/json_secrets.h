// JSON request and response bodies that carry key material (base64 data keys) for the HTTP key
// providers. The base64 text lives only in wiped memory (SecretBytes) or is wiped after use.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::http {

// Appends text to a wiped buffer.
void AppendSecret(SecretBytes& out, std::string_view text);

// The members of `fields` (a JSON object of non-secret values) plus "<field>":"<base64(secret)>",
// standard alphabet with padding, in wiped memory.
SecretBytes JsonWithBase64Secret(const nlohmann::json& fields, std::string_view field, ByteView secret);

// Decodes the base64 string member `name` of `object` (padded or not) into wiped memory and wipes
// the JSON copy. DataLoss "the response has no <name>" / "the response's <name> is not base64".
Result<SecretBytes> TakeBase64Field(nlohmann::json& object, const char* name);

}  // namespace md::kms::http
