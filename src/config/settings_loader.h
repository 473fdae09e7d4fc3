// LoadSettings: reads the INI layers (raw_config.h) into typed, validated Settings.
#pragma once

#include "common/status.h"
#include "config/ini_file.h"
#include "config/load_options.h"
#include "config/settings.h"

namespace md::config {

// The public default [security] secret_key and admin_password; warn loudly when in use.
inline constexpr char kDefaultSecretKey[] = "SW2YcwTIb9zpOOhoPsMm";
inline constexpr char kDefaultAdminPassword[] = "admin";

// Loads and validates. InvalidArgument with a one-line message on any bad file, override,
// expansion or value; secret values never appear in it.
Result<Settings> LoadSettings(const LoadOptions& options);

// The typed part alone, for a merged IniFile (homepath absolute). Used by LoadSettings and tests.
Result<Settings> SettingsFromIni(const IniFile& ini, const std::string& homepath);

// [security] and [security.encryption*] (security_settings.cc).
Status ReadSecurity(const IniFile& ini, SecuritySettings& out);
Status ReadEncryption(const IniFile& ini, EncryptionSettings& out);

}  // namespace md::config
