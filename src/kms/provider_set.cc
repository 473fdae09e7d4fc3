#include "kms/provider_set.h"

#include <algorithm>

namespace md::kms {

ProviderSet::ProviderSet(std::vector<std::unique_ptr<KeyProvider>> providers, std::string current) {
  for (auto& p : providers) {
    std::string id = p->Id();
    providers_.emplace(std::move(id), std::move(p));
  }
  current_ = providers_.at(NormalizeProviderId(current)).get();
}

Result<const KeyProvider*> ProviderSet::Find(std::string_view id) const {
  auto it = providers_.find(NormalizeProviderId(id));
  if (it == providers_.end()) {
    return NotFoundError("could not find encryption provider '" + std::string(id) + "'");
  }
  return it->second.get();
}

std::vector<std::string> ProviderSet::Ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, p] : providers_) ids.push_back(id);
  return ids;
}

Status ProviderRegistry::Add(std::unique_ptr<ProviderFactory> factory) {
  std::string kind(factory->Kind());
  if (factories_.count(kind)) return AlreadyExistsError("provider kind registered twice: " + kind);
  factories_.emplace(std::move(kind), std::move(factory));
  return OkStatus();
}

const ProviderFactory* ProviderRegistry::Find(std::string_view kind) const {
  auto it = factories_.find(kind);
  return it == factories_.end() ? nullptr : it->second.get();
}

namespace {

const config::ProviderSection* FindSection(const config::Settings& settings, std::string_view id) {
  for (const auto& section : settings.encryption.providers) {
    if (section.id == id) return &section;
  }
  return nullptr;
}

}  // namespace

Result<ProviderSet> ProviderRegistry::Build(const config::Settings& settings) const {
  std::vector<std::string> ids = {"secretKey.v1"};
  for (const auto& id : settings.security.available_encryption_providers) {
    std::string normalized = NormalizeProviderId(id);
    if (std::find(ids.begin(), ids.end(), normalized) == ids.end()) ids.push_back(normalized);
  }
  std::string current = NormalizeProviderId(settings.security.encryption_provider);
  if (std::find(ids.begin(), ids.end(), current) == ids.end()) {
    return InvalidArgumentError("missing configuration for current encryption provider " + current +
                                ": list it in security.available_encryption_providers");
  }
  std::vector<std::unique_ptr<KeyProvider>> providers;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(std::string kind, ProviderKind(id));
    const ProviderFactory* factory = Find(kind);
    if (factory == nullptr) return InvalidArgumentError(id + ": unknown encryption provider kind '" + kind + "'");
    config::ProviderSection empty{id, {}};
    const config::ProviderSection* section = FindSection(settings, id);
    if (section == nullptr && kind != "secretKey") {
      return InvalidArgumentError(id + ": no [security.encryption." + id + "] section in the configuration");
    }
    auto provider = factory->Create(section ? *section : empty, settings);
    if (!provider.ok()) return provider.status();
    providers.push_back(std::move(provider).value());
  }
  return ProviderSet(std::move(providers), current);
}

}  // namespace md::kms
