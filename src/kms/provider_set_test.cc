#include "kms/provider_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kms/secret_key/secret_key_provider.h"

namespace md::kms {
namespace {

using ::testing::HasSubstr;

config::Settings SettingsWith(std::string current, std::vector<std::string> available) {
  config::Settings s;
  s.security.secret_key = SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm"));
  s.security.encryption_provider = std::move(current);
  s.security.available_encryption_providers = std::move(available);
  return s;
}

ProviderRegistry RegistryWithSecretKey() {
  ProviderRegistry registry;
  auto cipher = std::make_shared<crypto::EncryptionService>(crypto::Algorithm::kAesCfb);
  auto keys = SecretKeyRing::New(SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm")), SecretBytes(), cipher);
  EXPECT_TRUE(registry.Add(std::make_unique<SecretKeyProviderFactory>(*keys)).ok());
  return registry;
}

TEST(ProviderIdTest, NormalizesLegacySecretKeyId) {
  EXPECT_EQ(NormalizeProviderId("secretKey"), "secretKey.v1");
  EXPECT_EQ(NormalizeProviderId("awskms.prod"), "awskms.prod");
}

TEST(ProviderIdTest, KindSplitsOnFirstDot) {
  EXPECT_EQ(*ProviderKind("awskms.my.key"), "awskms");
  EXPECT_THAT(ProviderKind("nodot").status().message(), HasSubstr("expected format <provider>.<keyName>"));
}

TEST(ProviderRegistryTest, BuildsDefaultSecretKeyProvider) {
  auto set = RegistryWithSecretKey().Build(SettingsWith("secretKey", {}));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->current().Id(), "secretKey.v1");
  EXPECT_TRUE(set->Find("secretKey").ok());
  EXPECT_THAT(set->Find("awskms.x").status().message(), HasSubstr("could not find encryption provider"));
}

TEST(ProviderRegistryTest, RejectsCurrentProviderThatIsNotConfigured) {
  auto set = RegistryWithSecretKey().Build(SettingsWith("awskms.prod", {}));
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("missing configuration for current encryption provider awskms.prod"));
}

TEST(ProviderRegistryTest, RejectsUnknownKindAndMissingSection) {
  auto unknown = RegistryWithSecretKey().Build(SettingsWith("secretKey.v1", {"nosuch.x"}));
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown encryption provider kind 'nosuch'"));
}

}  // namespace
}  // namespace md::kms
