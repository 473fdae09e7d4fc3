#include "common/encoding.h"

#include <gtest/gtest.h>

namespace md {
namespace {

TEST(HexTest, RoundTripsAndRejectsBadInput) {
  Bytes b = {0x00, 0x2a, 0xff};
  EXPECT_EQ(HexEncode(b), "002aff");
  EXPECT_EQ(*HexDecode("002AFF"), b);
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, padded] : cases) {
    EXPECT_EQ(Base64EncodePadded(AsBytes(plain)), padded);
    std::string raw = padded;
    raw.erase(raw.find_last_not_of('=') + 1);
    EXPECT_EQ(Base64EncodeRaw(AsBytes(plain)), raw);
    EXPECT_EQ(AsString(*Base64DecodePadded(padded)), plain);
    EXPECT_EQ(AsString(*Base64DecodeRaw(raw)), plain);
    EXPECT_EQ(AsString(*Base64DecodeAny(padded)), plain);
    EXPECT_EQ(AsString(*Base64DecodeAny(raw)), plain);
  }
}

TEST(Base64Test, RawDecoderRejectsPaddingLikeGo) {
  EXPECT_FALSE(Base64DecodeRaw("Zg==").ok());
  EXPECT_FALSE(Base64DecodeRaw("Zg=").ok());
}

TEST(Base64Test, RejectsBadCharactersLengthsAndTrailingBits) {
  EXPECT_FALSE(Base64DecodeRaw("Zm9v*").ok());
  EXPECT_FALSE(Base64DecodeRaw("Z").ok());
  EXPECT_FALSE(Base64DecodeRaw("Zh").ok());  // 'h' leaves non-zero trailing bits
  EXPECT_FALSE(Base64DecodePadded("Zm9").ok());
  EXPECT_FALSE(Base64DecodeAny("Zm 9v").ok());
}

TEST(Base64Test, UrlAlphabetSwapsPlusAndSlashAndHasNoPadding) {
  const Bytes bytes = {0xfb, 0xff, 0xbf, 0x01};
  EXPECT_EQ("+/+/AQ==", Base64EncodePadded(bytes));
  EXPECT_EQ("-_-_AQ", Base64UrlEncodeRaw(bytes));
  EXPECT_EQ(bytes, *Base64UrlDecode("-_-_AQ"));
  EXPECT_EQ(bytes, *Base64UrlDecode("-_-_AQ=="));
  EXPECT_FALSE(Base64UrlDecode("+/+/AQ").ok());
  EXPECT_FALSE(Base64UrlDecode("-_-_AQ=").ok());
  EXPECT_FALSE(Base64UrlDecode("AR").ok());  // non-zero trailing bits
}

}  // namespace
}  // namespace md
