#include "kms/azure/wrapped_key_blob.h"

#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace md::kms::azure {
namespace {

constexpr std::size_t kMaxBlobSize = 8 * 1024;

Status NotABlob(std::string_view why) {
  return InvalidArgumentError("wrapped key is not an azurekv blob (" + std::string(why) + ")");
}

}  // namespace

Bytes EncodeWrappedKeyBlob(const WrappedKeyBlob& blob) {
  // nlohmann::json keeps members sorted by name: alg, kid, value.
  nlohmann::json json = {{"alg", blob.alg}, {"kid", blob.kid}, {"value", Base64UrlEncodeRaw(blob.value)}};
  return ToBytes(json.dump());
}

Result<WrappedKeyBlob> DecodeWrappedKeyBlob(ByteView bytes) {
  if (bytes.empty() || bytes.size() > kMaxBlobSize || bytes[0] != '{') return NotABlob("expected a JSON object");
  nlohmann::json json = nlohmann::json::parse(AsString(bytes), nullptr, false);
  if (!json.is_object()) return NotABlob("expected a JSON object");
  WrappedKeyBlob blob;
  for (auto [name, target] : {std::pair<const char*, std::string*>{"alg", &blob.alg}, {"kid", &blob.kid}}) {
    auto it = json.find(name);
    if (it == json.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return NotABlob(std::string("no ") + name);
    }
    *target = it->get<std::string>();
  }
  auto value = json.find("value");
  if (value == json.end() || !value->is_string()) return NotABlob("no value");
  Result<Bytes> raw = Base64UrlDecode(value->get_ref<const std::string&>());
  if (!raw.ok() || raw->empty()) return NotABlob("value is not base64url");
  blob.value = std::move(raw).value();
  return blob;
}

}  // namespace md::kms::azure
