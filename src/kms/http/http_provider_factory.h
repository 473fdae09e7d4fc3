// HttpProviderFactory: the ProviderFactory of an HTTP key provider (awskms, hashicorpvault,
// googlekms, azurekv). Create parses the section with the provider's config parser and builds the
// provider with Provider::New(config, client, clock). The HTTP client and clock are shared by every
// provider it creates; the environment is read once per Create. Header-only: users link md_kms.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kms/http/clock.h"
#include "kms/http/http_client.h"
#include "kms/http/provider_settings.h"
#include "kms/key_provider.h"

namespace md::kms::http {

template <typename Provider, typename Config>
class HttpProviderFactory : public ProviderFactory {
 public:
  // Parse's errors are one line naming the provider and the key (InvalidArgument).
  using Parse = Result<Config> (*)(const config::ProviderSection& section, const EnvLookup& env);

  HttpProviderFactory(std::string kind, Parse parse, std::shared_ptr<const HttpClient> client,
                      std::shared_ptr<const Clock> clock, EnvLookup env)
      : kind_(std::move(kind)),
        parse_(parse),
        client_(std::move(client)),
        clock_(std::move(clock)),
        env_(std::move(env)) {}

  std::string_view Kind() const override { return kind_; }
  Result<std::unique_ptr<KeyProvider>> Create(const config::ProviderSection& section,
                                              const config::Settings& /*settings*/) const override {
    ASSIGN_OR_RETURN(Config config, parse_(section, env_));
    ASSIGN_OR_RETURN(std::unique_ptr<Provider> provider, Provider::New(std::move(config), client_, clock_));
    return std::unique_ptr<KeyProvider>(std::move(provider));
  }

 private:
  std::string kind_;
  Parse parse_;
  std::shared_ptr<const HttpClient> client_;
  std::shared_ptr<const Clock> clock_;
  EnvLookup env_;
};

}  // namespace md::kms::http
