// [security], [security.encryption] and the [security.encryption.<kind>.<name>] provider sections.
#include "config/setting_reader.h"
#include "config/settings_loader.h"
#include "config/values.h"

namespace md::config {
namespace {

constexpr char kProviderPrefix[] = "security.encryption.";

// "secretKey" -> "secretKey.v1"; anything else must look like <kind>.<name>.
Status NormalizeProvider(const std::string& key, std::string& id) {
  if (id == "secretKey") {
    id = "secretKey.v1";
  }
  const size_t dot = id.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == id.size()) {
    return SettingReader::Invalid("security", key, id, "a provider id <kind>.<name>");
  }
  return OkStatus();
}

}  // namespace

Status ReadSecurity(const IniFile& ini, SecuritySettings& out) {
  const SettingReader r(ini);
  const std::string s = "security";
  const std::string secret_key = r.String(s, "secret_key", kDefaultSecretKey);
  if (secret_key.empty()) {
    return SettingReader::Invalid(s, "secret_key", secret_key, "a non-empty key");
  }
  out.secret_key = SecretBytes(secret_key);
  out.secret_key_is_default = secret_key == kDefaultSecretKey;
  const std::string previous = r.String(s, "previous_secret_key");
  if (!previous.empty() && previous == secret_key) {
    return SettingReader::Invalid(s, "previous_secret_key", previous,
                                  "the former secret_key during a rotation, different from security.secret_key "
                                  "(or empty)");
  }
  out.previous_secret_key = SecretBytes(previous);
  out.encryption_provider = r.String(s, "encryption_provider", out.encryption_provider);
  if (out.encryption_provider.empty()) {
    out.encryption_provider = "secretKey.v1";
  }
  if (Status st = NormalizeProvider("encryption_provider", out.encryption_provider); !st.ok()) {
    return st;
  }
  out.available_encryption_providers = SplitList(r.String(s, "available_encryption_providers"));
  for (std::string& id : out.available_encryption_providers) {
    if (Status st = NormalizeProvider("available_encryption_providers", id); !st.ok()) {
      return st;
    }
  }
  out.admin_user = r.String(s, "admin_user", out.admin_user);
  if (out.admin_user.empty()) {
    return SettingReader::Invalid(s, "admin_user", out.admin_user, "a user name");
  }
  const std::string password = r.String(s, "admin_password", kDefaultAdminPassword);
  out.admin_password = SecretBytes(password);
  out.admin_password_is_default = password == kDefaultAdminPassword;
  return OkStatus();
}

Status ReadEncryption(const IniFile& ini, EncryptionSettings& out) {
  const SettingReader r(ini);
  const std::string s = "security.encryption";
  if (Status st = r.OneOf(s, "algorithm", {"aes-cfb", "aes-gcm"}, out.algorithm); !st.ok()) {
    return st;
  }
  for (auto [key, field] : {std::pair{"data_keys_cache_ttl", &out.data_keys_cache_ttl},
                            {"data_keys_cache_cleanup_interval",
                             &out.data_keys_cache_cleanup_interval},
                            {"data_keys_change_check_interval",
                             &out.data_keys_change_check_interval}}) {
    if (Status st = r.Duration(s, key, false, *field); !st.ok()) {
      return st;
    }
  }
  out.providers.clear();
  for (const std::string& section : ini.sections()) {
    if (!section.starts_with(kProviderPrefix)) {
      continue;
    }
    ProviderSection provider;
    provider.id = section.substr(sizeof(kProviderPrefix) - 1);
    const size_t dot = provider.id.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == provider.id.size()) {
      return InvalidArgumentError("invalid section [" + section +
                                  "]: expected [security.encryption.<kind>.<name>]");
    }
    provider.keys = ini.Keys(section);
    out.providers.push_back(std::move(provider));
  }
  return OkStatus();
}

}  // namespace md::config
