#include "kms/secret_key/secret_key_ring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/encoding.h"

namespace md::kms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Key = SecretKeyRing::Key;

std::shared_ptr<const crypto::EncryptionService> Cipher(crypto::Algorithm algorithm) {
  return std::make_shared<crypto::EncryptionService>(algorithm);
}

std::shared_ptr<const SecretKeyRing> Ring(std::string_view current, std::string_view previous = "",
                                          crypto::Algorithm algorithm = crypto::Algorithm::kAesCfb) {
  auto ring = SecretKeyRing::New(SecretBytes(current), SecretBytes(previous), Cipher(algorithm));
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  return ring.ok() ? *ring : nullptr;
}

std::string Prefix(const Bytes& value) { return std::string(AsString(ByteView(value.data(), 12))); }
std::string Plain(const Result<SecretBytes>& r) { return r.ok() ? r->InsecureString() : r.status().ToString(); }

TEST(SecretKeyRingTest, RefusesAnEmptyKeyAndAPreviousKeyEqualToTheCurrentOne) {
  auto cipher = Cipher(crypto::Algorithm::kAesCfb);
  auto empty = SecretKeyRing::New(SecretBytes(), SecretBytes(), cipher);
  EXPECT_THAT(empty.status().message(), HasSubstr("security.secret_key"));
  auto same = SecretKeyRing::New(SecretBytes(std::string_view("k3y-0f-m1ne")),
                                 SecretBytes(std::string_view("k3y-0f-m1ne")), cipher);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(same.status().message(), HasSubstr("security.previous_secret_key"));
  EXPECT_THAT(same.status().message(), Not(HasSubstr("k3y-0f-m1ne")));
}

TEST(SecretKeyRingTest, WithoutPreviousKeyWritesTheConfiguredAlgorithmUnderTheCurrentKey) {
  auto cfb = Ring("key-A");
  auto gcm = Ring("key-A", "", crypto::Algorithm::kAesGcm);
  EXPECT_FALSE(cfb->rotating());
  auto a = cfb->Encrypt(AsBytes("x"));
  auto b = gcm->Encrypt(AsBytes("y"));
  EXPECT_EQ(Prefix(*a), "*YWVzLWNmYg*");
  EXPECT_EQ(Prefix(*b), "*YWVzLWdjbQ*");
  EXPECT_EQ(Plain(cfb->Decrypt(*a)), "x");
  EXPECT_EQ(Plain(cfb->Decrypt(*b)), "y");  // reads every format
  EXPECT_EQ(*cfb->KeyOf(*a), Key::kCurrent);
}

TEST(SecretKeyRingTest, WhileRotatingWritesGcmUnderTheNewKeyWhateverTheConfiguredAlgorithm) {
  auto during = Ring("key-B", "key-A");
  EXPECT_TRUE(during->rotating());
  auto v = during->Encrypt(AsBytes("written during the rotation"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Prefix(*v), "*YWVzLWdjbQ*");
  EXPECT_EQ(*during->KeyOf(*v), Key::kCurrent);
  EXPECT_EQ(Plain(Ring("key-B")->Decrypt(*v)), "written during the rotation");  // after the rotation
  EXPECT_EQ(Ring("key-A")->Decrypt(*v).status().code(), StatusCode::kDataLoss);  // never garbage
}

TEST(SecretKeyRingTest, WhileRotatingCfbValuesOfEveryFormAreReadWithThePreviousKey) {
  auto before = Ring("key-A");
  auto during = Ring("key-B", "key-A");
  auto prefixed = before->Encrypt(AsBytes("prefixed"));
  Bytes unprefixed(prefixed->begin() + 12, prefixed->end());
  Bytes empty_algorithm = {'*', '*'};
  empty_algorithm.insert(empty_algorithm.end(), unprefixed.begin(), unprefixed.end());
  for (const Bytes& v : {*prefixed, unprefixed, empty_algorithm}) {
    EXPECT_EQ(Plain(during->Decrypt(v)), "prefixed");
    EXPECT_EQ(*during->KeyOf(v), Key::kPrevious);
  }
}

TEST(SecretKeyRingTest, WhileRotatingGcmValuesAreTriedWithTheCurrentKeyThenThePrevious) {
  auto before = Ring("key-A", "", crypto::Algorithm::kAesGcm);
  auto during = Ring("key-B", "key-A", crypto::Algorithm::kAesGcm);
  auto old_value = before->Encrypt(AsBytes("old gcm"));
  auto new_value = during->Encrypt(AsBytes("new gcm"));
  EXPECT_EQ(Plain(during->Decrypt(*old_value)), "old gcm");
  EXPECT_EQ(*during->KeyOf(*old_value), Key::kPrevious);
  EXPECT_EQ(Plain(during->Decrypt(*new_value)), "new gcm");
  EXPECT_EQ(*during->KeyOf(*new_value), Key::kCurrent);
}

TEST(SecretKeyRingTest, GcmValueUnderNeitherKeyIsDataLossNamingBothSettings) {
  auto other = Ring("key-X", "", crypto::Algorithm::kAesGcm)->Encrypt(AsBytes("z"));
  auto during = Ring("key-B", "key-A");
  auto r = during->Decrypt(*other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(r.status().message(), HasSubstr("security.secret_key"));
  EXPECT_THAT(r.status().message(), HasSubstr("security.previous_secret_key"));
  EXPECT_THAT(r.status().message(), Not(HasSubstr("key-")));
  EXPECT_FALSE(during->KeyOf(*other).ok());
}

TEST(SecretKeyRingTest, DecryptWithUsesExactlyOneKey) {
  auto during = Ring("key-B", "key-A");
  auto old_value = Ring("key-A")->Encrypt(AsBytes("old"));
  EXPECT_EQ(Plain(during->DecryptWith(Key::kPrevious, *old_value)), "old");
  auto garbage = during->DecryptWith(Key::kCurrent, *old_value);  // CFB: garbage, not an error
  ASSERT_TRUE(garbage.ok());
  EXPECT_NE(garbage->InsecureString(), "old");
  auto check = during->EncryptCheckValueWith(Key::kPrevious, AsBytes("canary"));
  EXPECT_EQ(Plain(Ring("key-A")->Decrypt(*check)), "canary");
}

}  // namespace
}  // namespace md::kms
