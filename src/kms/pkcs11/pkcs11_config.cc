#include "kms/pkcs11/pkcs11_config.h"

#include <cstdint>
#include <set>

#include "config/values.h"
#include "kms/http/provider_settings.h"

namespace md::kms::pkcs11 {
namespace {

constexpr std::size_t kMaxTokenLabel = 32;  // CK_TOKEN_INFO.label is 32 bytes, blank-padded

Status ParseToken(const config::ProviderSection& s, Pkcs11Config& out) {
  auto label = http::SectionValue(s, "token_label");
  auto slot = http::SectionValue(s, "slot");
  if (label && slot) return InvalidArgumentError(s.id + ": set token_label or slot, not both");
  if (!label && !slot) return InvalidArgumentError(s.id + ": token_label (or slot) is required");
  if (label) {
    if (label->size() > kMaxTokenLabel || label->back() == ' ') {
      return InvalidArgumentError(s.id + ": token_label must be at most 32 bytes, without trailing blanks");
    }
    out.token_label = *label;
    return OkStatus();
  }
  std::optional<int64_t> id = config::ParseInt(*slot, 0, INT64_MAX);
  if (!id) return InvalidArgumentError(s.id + ": slot must be a slot id (a decimal number)");
  out.slot = static_cast<uint64_t>(*id);
  return OkStatus();
}

}  // namespace

Result<Pkcs11Config> ParsePkcs11Config(const config::ProviderSection& section) {
  static const std::set<std::string> kKeys = {"module", "token_label", "slot", "pin", "key_label"};
  if (Status s = http::CheckKnownKeys(section, kKeys, /*allow_retry_tuning=*/false); !s.ok()) return s;
  Pkcs11Config out;
  out.provider_id = section.id;
  auto module = http::SectionValue(section, "module");
  if (!module) return InvalidArgumentError(section.id + ": module is required (the PKCS#11 library's path)");
  out.module = *module;
  if (Status s = ParseToken(section, out); !s.ok()) return s;
  auto pin = http::SectionValue(section, "pin");
  if (!pin) {
    return InvalidArgumentError(section.id + ": pin is required (e.g. pin = $__file{/run/secrets/hsm-pin})");
  }
  out.pin = SecretBytes(std::string_view(*pin));
  auto key_label = http::SectionValue(section, "key_label");
  if (!key_label) return InvalidArgumentError(section.id + ": key_label is required");
  out.key_label = *key_label;
  return out;
}

std::string DescribeToken(const Pkcs11Config& config) {
  if (config.slot) return "slot " + std::to_string(*config.slot);
  return "token \"" + config.token_label + "\"";
}

}  // namespace md::kms::pkcs11
