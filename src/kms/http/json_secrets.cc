#include "kms/http/json_secrets.h"

#include <algorithm>
#include <cctype>

#include "common/encoding.h"

namespace md::kms::http {

void AppendSecret(SecretBytes& out, std::string_view text) {
  std::size_t old = out.size();
  out.resize(old + text.size());
  std::copy(text.begin(), text.end(), out.data() + old);
}

void AppendFormField(SecretBytes& out, std::string_view name, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (!out.empty()) AppendSecret(out, "&");
  AppendSecret(out, name);
  AppendSecret(out, "=");
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      AppendSecret(out, std::string_view(&ch, 1));
    } else {
      const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 15]};
      AppendSecret(out, std::string_view(escaped, 3));
    }
  }
}

SecretBytes JsonWithBase64Secret(const nlohmann::json& fields, std::string_view field, ByteView secret,
                                 Base64Style style) {
  std::string head = fields.is_object() && !fields.empty() ? fields.dump() : std::string("{}");
  head.pop_back();  // the closing '}'
  if (head.size() > 1) head += ",";
  head += nlohmann::json(std::string(field)).dump() + ":\"";
  std::string b64 = style == Base64Style::kUrlRaw ? Base64UrlEncodeRaw(secret) : Base64EncodePadded(secret);
  SecretBytes body;
  AppendSecret(body, head);
  AppendSecret(body, b64);
  AppendSecret(body, "\"}");
  CleanseMemory(b64.data(), b64.size());
  return body;
}

Result<SecretBytes> TakeBase64Field(nlohmann::json& object, const char* name, Base64Style style) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_string()) {
    return DataLossError(std::string("the response has no ") + name);
  }
  std::string& text = object[name].get_ref<std::string&>();
  Result<Bytes> raw = style == Base64Style::kUrlRaw ? Base64UrlDecode(text) : Base64DecodeAny(text);
  CleanseMemory(text.data(), text.size());
  if (!raw.ok()) return DataLossError(std::string("the response's ") + name + " is not base64");
  SecretBytes out(ByteView(raw->data(), raw->size()));
  CleanseMemory(raw->data(), raw->size());
  return out;
}

}  // namespace md::kms::http
