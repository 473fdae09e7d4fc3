#include "crypto/derived_key_cache.h"

#include <gtest/gtest.h>

namespace md::crypto {
namespace {

TEST(CryptoDerivedKeyCacheTest, DerivesOncePerSecretAndSalt) {
  DerivedKeyCache cache(64);
  SecretBytes secret(std::string_view("pw"));
  SecretHash hash = cache.HashSecret(secret.view());
  auto a = cache.Get(hash, secret.view(), AsBytes("saltsalt"));
  auto b = cache.Get(hash, secret.view(), AsBytes("saltsalt"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(hash, AsBytes("othersal")), nullptr);
}

TEST(CryptoDerivedKeyCacheTest, HashIsKeyedPerCacheAndNotTheSecret) {
  DerivedKeyCache one, two;
  SecretBytes secret(std::string_view("pw"));
  EXPECT_NE(one.HashSecret(secret.view()), two.HashSecret(secret.view()));
  EXPECT_EQ(one.HashSecret(secret.view()), one.HashSecret(secret.view()));
}

TEST(CryptoDerivedKeyCacheTest, IsBoundedAndEvictsLeastRecentlyUsed) {
  DerivedKeyCache cache(16);  // one entry per shard
  SecretBytes secret(std::string_view("pw"));
  SecretHash hash = cache.HashSecret(secret.view());
  auto first = std::make_shared<DerivedKey>(SecretBytes(Bytes(32, 1)));
  std::weak_ptr<const DerivedKey> watch = first;
  cache.Insert(hash, AsBytes("aaaaaaaa"), std::move(first));
  for (int i = 0; i < 200; ++i) {
    std::string salt = "salt" + std::to_string(1000 + i);
    cache.Insert(hash, AsBytes(salt), std::make_shared<DerivedKey>(SecretBytes(Bytes(32, 2))));
  }
  EXPECT_EQ(cache.Find(hash, AsBytes("aaaaaaaa")), nullptr);
  EXPECT_TRUE(watch.expired());  // destroyed, so its SecretBytes were wiped
  EXPECT_NE(cache.Find(hash, AsBytes("salt1199")), nullptr);
  EXPECT_LE(cache.size(), cache.capacity());
  EXPECT_GT(cache.size(), 8u);  // one secret's keys spread over the shards
}

TEST(CryptoDerivedKeyCacheTest, WriteKeyReusesOneAlphanumericSalt) {
  DerivedKeyCache cache;
  SecretBytes secret(std::string_view("pw"));
  SecretHash hash = cache.HashSecret(secret.view());
  auto a = cache.GetWriteKey(hash, secret.view());
  auto b = cache.GetWriteKey(hash, secret.view());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->salt, b->salt);
  EXPECT_EQ(a->key.get(), b->key.get());
  EXPECT_EQ(cache.Find(hash, a->salt), a->key);
  SecretBytes other(std::string_view("pw2"));
  auto c = cache.GetWriteKey(cache.HashSecret(other.view()), other.view());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->salt, a->salt);
}

}  // namespace
}  // namespace md::crypto
