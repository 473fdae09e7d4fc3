#include "crypto/legacy_payload.h"

#include <gtest/gtest.h>

namespace md::crypto {
namespace {

Result<LegacyPayload> Parse(std::string_view text) { return ParseLegacyPayload(AsBytes(text)); }

TEST(CryptoLegacyPayloadTest, NoPrefixIsCfbOnWholeValue) {
  auto p = Parse("abcdefgh0123456789abcdef");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->algorithm, Algorithm::kAesCfb);
  EXPECT_EQ(AsString(p->raw), "abcdefgh0123456789abcdef");
}

TEST(CryptoLegacyPayloadTest, KnownPrefixes) {
  auto cfb = Parse("*YWVzLWNmYg*rest");
  auto gcm = Parse("*YWVzLWdjbQ*rest");
  ASSERT_TRUE(cfb.ok() && gcm.ok());
  EXPECT_EQ(cfb->algorithm, Algorithm::kAesCfb);
  EXPECT_EQ(gcm->algorithm, Algorithm::kAesGcm);
  EXPECT_EQ(AsString(gcm->raw), "rest");
  EXPECT_EQ(AlgorithmPrefix(Algorithm::kAesCfb), "*YWVzLWNmYg*");
  EXPECT_EQ(AlgorithmPrefix(Algorithm::kAesGcm), "*YWVzLWdjbQ*");
}

TEST(CryptoLegacyPayloadTest, PaddedPrefixIsAccepted) {
  auto p = Parse("*YWVzLWdjbQ==*x");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->algorithm, Algorithm::kAesGcm);
}

TEST(CryptoLegacyPayloadTest, NoClosingStarIsCfbWithoutFirstByte) {
  auto p = Parse("*abcdefgh");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->algorithm, Algorithm::kAesCfb);
  EXPECT_EQ(AsString(p->raw), "abcdefgh");
}

TEST(CryptoLegacyPayloadTest, EmptyAlgorithmIsCfb) {
  auto p = Parse("**payload*with*stars");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->algorithm, Algorithm::kAesCfb);
  EXPECT_EQ(AsString(p->raw), "payload*with*stars");
}

TEST(CryptoLegacyPayloadTest, Errors) {
  EXPECT_EQ(Parse("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(Parse("").status().message().find("unable to derive encryption algorithm"),
            std::string::npos);
  auto unknown = Parse("*YWVzLWN0cg*x");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(), "no decipher available for algorithm 'aes-ctr'");
  EXPECT_EQ(Parse("*!!!*x").status().code(), StatusCode::kInvalidArgument);
  auto binary = Parse("*AP8*x");  // decodes to 00 ff: escaped in the message
  EXPECT_EQ(binary.status().message(), "no decipher available for algorithm '\\x00\\xff'");
}

TEST(CryptoLegacyPayloadTest, SplitChecksLengths) {
  EXPECT_EQ(SplitCfb(Bytes(23)).status().code(), StatusCode::kInvalidArgument);
  auto cfb = SplitCfb(Bytes(24));
  ASSERT_TRUE(cfb.ok());
  EXPECT_TRUE(cfb->ciphertext.empty());
  EXPECT_EQ(SplitGcm(Bytes(35)).status().code(), StatusCode::kInvalidArgument);
  auto gcm = SplitGcm(Bytes(40));
  ASSERT_TRUE(gcm.ok());
  EXPECT_EQ(gcm->ciphertext.size(), 4u);
  EXPECT_EQ(gcm->tag.size(), 16u);
  EXPECT_EQ(gcm->nonce.size(), 12u);
}

TEST(CryptoLegacyPayloadTest, ParseAlgorithmNames) {
  EXPECT_EQ(*ParseAlgorithm("aes-gcm"), Algorithm::kAesGcm);
  EXPECT_EQ(*ParseAlgorithm("aes-cfb"), Algorithm::kAesCfb);
  EXPECT_FALSE(ParseAlgorithm("AES-CFB").ok());
  EXPECT_EQ(AlgorithmName(Algorithm::kAesGcm), "aes-gcm");
}

}  // namespace
}  // namespace md::crypto
