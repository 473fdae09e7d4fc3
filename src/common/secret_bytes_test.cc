#include "common/secret_bytes.h"

#include <gtest/gtest.h>

namespace md {
namespace {

TEST(SecretBytesTest, KeepsEmbeddedNulBytes) {
  const uint8_t raw[] = {0x00, 0x01, 0x00, 0xff};
  SecretBytes s{ByteView(raw)};
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(s.InsecureString(), std::string("\0\x01\0\xff", 4));
}

TEST(SecretBytesTest, EqualsComparesContentAndLength) {
  EXPECT_TRUE(SecretBytes("abc").Equals(SecretBytes("abc")));
  EXPECT_FALSE(SecretBytes("abc").Equals(SecretBytes("abd")));
  EXPECT_FALSE(SecretBytes("abc").Equals(SecretBytes("ab")));
}

}  // namespace
}  // namespace md
