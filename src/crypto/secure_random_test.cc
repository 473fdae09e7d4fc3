#include "crypto/secure_random.h"

#include <array>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace md::crypto {
namespace {

TEST(CryptoSecureRandomTest, OutputsDifferAndCoverAllByteValues) {
  std::set<std::array<uint8_t, 16>> seen;
  std::array<int, 256> counts{};
  for (int i = 0; i < 10000; ++i) {
    std::array<uint8_t, 16> iv;
    ASSERT_TRUE(SecureRandomBytes(iv).ok());
    EXPECT_TRUE(seen.insert(iv).second);
    for (uint8_t b : iv) ++counts[b];
  }
  for (int c : counts) {
    EXPECT_GT(c, 450);  // expected 625 per value
    EXPECT_LT(c, 800);
  }
}

TEST(CryptoSecureRandomTest, LargeRequestsSpanBlocks) {
  std::vector<uint8_t> big(5000, 0);
  ASSERT_TRUE(SecureRandomBytes(big).ok());
  std::size_t zeros = std::count(big.begin(), big.end(), 0);
  EXPECT_LT(zeros, 60u);
}

TEST(CryptoSecureRandomTest, ThreadsGetDifferentStreams) {
  std::array<uint8_t, 32> a{}, b{};
  std::thread t1([&] { ASSERT_TRUE(SecureRandomBytes(a).ok()); });
  std::thread t2([&] { ASSERT_TRUE(SecureRandomBytes(b).ok()); });
  t1.join();
  t2.join();
  EXPECT_NE(a, b);
}

TEST(CryptoSecureRandomTest, AlphanumericUsesOnlyTheAlphabet) {
  std::array<uint8_t, 4096> salt;
  ASSERT_TRUE(RandomAlphanumeric(salt).ok());
  std::set<uint8_t> distinct(salt.begin(), salt.end());
  EXPECT_EQ(distinct.size(), 62u);
  for (uint8_t c : salt) EXPECT_TRUE(std::isalnum(c));
}

}  // namespace
}  // namespace md::crypto
