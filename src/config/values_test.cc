#include "config/values.h"

#include <gtest/gtest.h>

namespace md::config {
namespace {

using std::chrono::milliseconds;

TEST(ParseDurationTest, AcceptsGoSyntax) {
  EXPECT_EQ(ParseDuration("15m"), milliseconds(15 * 60 * 1000));
  EXPECT_EQ(ParseDuration("1h30m"), milliseconds(90 * 60 * 1000));
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("10s"), milliseconds(10000));
  EXPECT_EQ(ParseDuration("1.5h"), milliseconds(90 * 60 * 1000));
  EXPECT_EQ(ParseDuration("2500us"), milliseconds(2));
  EXPECT_EQ(ParseDuration(" 0 "), milliseconds(0));
  EXPECT_EQ(ParseDuration("0s"), milliseconds(0));
}

TEST(ParseDurationTest, RejectsBareNumbersAndGarbage) {
  for (const char* bad : {"", "10", "abc", "10x", "m", "-5s", "1..5s", "5 s", "1e3s"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(ParseIntTest, ChecksRange) {
  EXPECT_EQ(ParseInt("3000", 1, 65535), 3000);
  EXPECT_EQ(ParseInt(" 42 ", 0, 100), 42);
  EXPECT_FALSE(ParseInt("0", 1, 65535).has_value());
  EXPECT_FALSE(ParseInt("65536", 1, 65535).has_value());
  EXPECT_FALSE(ParseInt("12ab", 1, 65535).has_value());
  EXPECT_FALSE(ParseInt("", 1, 65535).has_value());
}

TEST(ParseByteSizeTest, AcceptsSuffixes) {
  EXPECT_EQ(ParseByteSize("100"), 100);
  EXPECT_EQ(ParseByteSize("10MB"), 10 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("1kb"), 1024);
  EXPECT_EQ(ParseByteSize("2GB"), int64_t{2} << 30);
  EXPECT_FALSE(ParseByteSize("ten").has_value());
  EXPECT_FALSE(ParseByteSize("10TB").has_value());
}

TEST(SplitListTest, SplitsOnBlanksAndCommas) {
  EXPECT_EQ(SplitList("a b,c ,, d"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_TRUE(SplitList("  ").empty());
}

}  // namespace
}  // namespace md::config
