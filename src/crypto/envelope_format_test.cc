#include "crypto/envelope_format.h"

#include <gtest/gtest.h>

namespace md::crypto {
namespace {

Result<EnvelopeParts> Parse(std::string_view text) { return ParseEnvelope(AsBytes(text)); }

TEST(CryptoEnvelopeFormatTest, BuildAndParseRoundTrip) {
  Bytes inner = ToBytes("*YWVzLWNmYg*salt1234#*iv");
  Bytes blob = BuildEnvelope("2024-01-01/root@secretKey.v1", inner);
  EXPECT_EQ(AsString(blob).substr(0, 1), "#");
  EXPECT_TRUE(IsEnvelope(blob));
  auto parts = ParseEnvelope(blob);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->key_id, "2024-01-01/root@secretKey.v1");
  EXPECT_EQ(Bytes(parts->inner.begin(), parts->inner.end()), inner);
}

TEST(CryptoEnvelopeFormatTest, KnownFraming) {
  Bytes blob = BuildEnvelope("f0e1d2c3-b4a5-4697-8899-aabbccddeeff", {});
  EXPECT_EQ(AsString(blob), "#ZjBlMWQyYzMtYjRhNS00Njk3LTg4OTktYWFiYmNjZGRlZWZm#");
}

TEST(CryptoEnvelopeFormatTest, AcceptsPaddedKeyId) {
  auto parts = Parse("#YWI=#x");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->key_id, "ab");
  EXPECT_EQ(AsString(parts->inner), "x");
}

TEST(CryptoEnvelopeFormatTest, InnerMayContainHashes) {
  auto parts = Parse("#YWI#a#b#");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(AsString(parts->inner), "a#b#");
}

TEST(CryptoEnvelopeFormatTest, Errors) {
  EXPECT_EQ(Parse("").status().message(), "unable to decrypt empty payload");
  EXPECT_EQ(Parse("#abc").status().message(), "could not find valid key id in encrypted payload");
  EXPECT_EQ(Parse("abc#").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("#a*b#x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse("##x").status().code(), StatusCode::kInvalidArgument);
  std::string long_id(101, 'k');
  Bytes too_long = BuildEnvelope(long_id, {});
  EXPECT_EQ(ParseEnvelope(too_long).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseEnvelope(BuildEnvelope(std::string(100, 'k'), {})).ok());
  EXPECT_FALSE(IsEnvelope({}));
}

}  // namespace
}  // namespace md::crypto
