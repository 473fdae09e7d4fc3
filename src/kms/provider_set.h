// ProviderSet: the key providers loaded in this process, by id, and which one wraps new DEKs.
// Built once at start-up from [security] encryption_provider / available_encryption_providers.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kms/key_provider.h"

namespace md::kms {

class ProviderSet {
 public:
  // REQUIRES: current is one of providers' ids.
  ProviderSet(std::vector<std::unique_ptr<KeyProvider>> providers, std::string current);

  const KeyProvider& current() const { return *current_; }
  // Looks up by normalised id; NotFound "could not find encryption provider '<id>'".
  Result<const KeyProvider*> Find(std::string_view id) const;
  std::vector<std::string> Ids() const;

 private:
  std::map<std::string, std::unique_ptr<KeyProvider>, std::less<>> providers_;
  const KeyProvider* current_;
};

// Factories by kind; filled in exe/ (the only place that names every provider).
class ProviderRegistry {
 public:
  Status Add(std::unique_ptr<ProviderFactory> factory);
  const ProviderFactory* Find(std::string_view kind) const;

  // Creates secretKey.v1 plus every provider listed in available_encryption_providers (each
  // needs its [security.encryption.<kind>.<name>] section) and checks that encryption_provider
  // is among them. Errors name the provider and the problem in one line.
  Result<ProviderSet> Build(const config::Settings& settings) const;

 private:
  std::map<std::string, std::unique_ptr<ProviderFactory>, std::less<>> factories_;
};

}  // namespace md::kms
