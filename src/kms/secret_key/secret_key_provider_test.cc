#include "kms/secret_key/secret_key_provider.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace md::kms {
namespace {

std::shared_ptr<const crypto::EncryptionService> Cfb() {
  return std::make_shared<crypto::EncryptionService>(crypto::Algorithm::kAesCfb);
}

TEST(SecretKeyProviderTest, WrapsDataKeyAsPrefixedCfbBlobOf52Bytes) {
  SecretKeyProvider provider("secretKey.v1", SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm")), Cfb());
  const uint8_t raw[16] = {0, 1, 2, 3, 0, 0, 0xff, 7, 8, 9, 10, 11, 12, 13, 14, 0};
  SecretBytes dek{ByteView(raw)};
  auto wrapped = provider.WrapKey(dek);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->size(), 52u);
  EXPECT_EQ(AsString(ByteView(wrapped->data(), 12)), "*YWVzLWNmYg*");
  auto unwrapped = provider.UnwrapKey(*wrapped);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_TRUE(unwrapped->Equals(dek));
}

TEST(SecretKeyProviderTest, UnwrapsVectorE1DataKey) {
  SecretKeyProvider provider("secretKey.v1", SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm")), Cfb());
  auto wrapped = HexDecode(
      "2a5957567a4c574e6d59672a6162636445464748101112131415161718191a1b1c1d1e1fcc70a206084a0fa2cc5847c9bcae4cc7");
  auto dek = provider.UnwrapKey(*wrapped);
  ASSERT_TRUE(dek.ok());
  EXPECT_EQ(HexEncode(dek->view()), "000102030405060708090a0b0c0d0e0f");
}

TEST(SecretKeyProviderTest, FactoryRejectsOtherNamesAndEmptyKey) {
  SecretKeyProviderFactory factory(Cfb());
  config::Settings settings;
  settings.security.secret_key = SecretBytes(std::string_view("k"));
  EXPECT_FALSE(factory.Create({"secretKey.v2", {}}, settings).ok());
  settings.security.secret_key = SecretBytes();
  EXPECT_FALSE(factory.Create({"secretKey.v1", {}}, settings).ok());
}

}  // namespace
}  // namespace md::kms
