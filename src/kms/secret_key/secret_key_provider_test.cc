#include "kms/secret_key/secret_key_provider.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace md::kms {
namespace {

std::shared_ptr<const SecretKeyRing> Keys(std::string_view current, std::string_view previous = "") {
  auto cfb = std::make_shared<crypto::EncryptionService>(crypto::Algorithm::kAesCfb);
  return *SecretKeyRing::New(SecretBytes(current), SecretBytes(previous), cfb);
}

TEST(SecretKeyProviderTest, WrapsDataKeyAsPrefixedCfbBlobOf52Bytes) {
  SecretKeyProvider provider("secretKey.v1", Keys("SW2YcwTIb9zpOOhoPsMm"));
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
  SecretKeyProvider provider("secretKey.v1", Keys("SW2YcwTIb9zpOOhoPsMm"));
  auto wrapped = HexDecode(
      "2a5957567a4c574e6d59672a6162636445464748101112131415161718191a1b1c1d1e1fcc70a206084a0fa2cc5847c9bcae4cc7");
  auto dek = provider.UnwrapKey(*wrapped);
  ASSERT_TRUE(dek.ok());
  EXPECT_EQ(HexEncode(dek->view()), "000102030405060708090a0b0c0d0e0f");
}

TEST(SecretKeyProviderTest, DuringRotationWrapsWithGcmUnderNewKeyAndUnwrapsOldCfbWithPrevious) {
  SecretKeyProvider before("secretKey.v1", Keys("key-A"));
  SecretKeyProvider during("secretKey.v1", Keys("key-B", "key-A"));
  SecretKeyProvider after("secretKey.v1", Keys("key-B"));
  SecretBytes dek(std::string_view("0123456789abcdef"));
  auto old_wrap = before.WrapKey(dek);
  auto new_wrap = during.WrapKey(dek);
  ASSERT_TRUE(old_wrap.ok() && new_wrap.ok());
  EXPECT_EQ(AsString(ByteView(new_wrap->data(), 12)), "*YWVzLWdjbQ*");
  EXPECT_EQ(new_wrap->size(), 12u + 8 + 12 + 16 + 16);
  EXPECT_TRUE(during.UnwrapKey(*old_wrap)->Equals(dek));
  EXPECT_TRUE(during.UnwrapKey(*new_wrap)->Equals(dek));
  EXPECT_TRUE(after.UnwrapKey(*new_wrap)->Equals(dek));
  EXPECT_FALSE(before.UnwrapKey(*new_wrap).ok());  // GCM: a wrong key is an error, not garbage
}

TEST(SecretKeyProviderTest, FactoryRejectsOtherNames) {
  SecretKeyProviderFactory factory(Keys("k"));
  config::Settings settings;
  EXPECT_FALSE(factory.Create({"secretKey.v2", {}}, settings).ok());
  EXPECT_TRUE(factory.Create({"secretKey.v1", {}}, settings).ok());
}

}  // namespace
}  // namespace md::kms
