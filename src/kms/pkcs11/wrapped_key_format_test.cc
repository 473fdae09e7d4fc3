#include "kms/pkcs11/wrapped_key_format.h"

#include <gtest/gtest.h>

namespace md::kms::pkcs11 {
namespace {

TEST(WrappedKeyFormatTest, PrefixesVersionAndBigEndianMechanism) {
  Bytes wrapped(24, 0xAB);
  Bytes blob = EncodeWrappedKey(CKM_AES_KEY_WRAP_PAD, wrapped);
  ASSERT_EQ(29u, blob.size());
  EXPECT_EQ((Bytes{0x01, 0x00, 0x00, 0x21, 0x0A}), Bytes(blob.begin(), blob.begin() + 5));
  Result<ByteView> parsed = ParseWrappedKey(blob, CKM_AES_KEY_WRAP_PAD);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(wrapped, Bytes(parsed->begin(), parsed->end()));
}

TEST(WrappedKeyFormatTest, RejectsGarbageAsInvalidArgument) {
  Bytes good = EncodeWrappedKey(CKM_AES_KEY_WRAP_PAD, Bytes(24, 1));
  auto error = [](const Bytes& blob) { return ParseWrappedKey(blob, CKM_AES_KEY_WRAP_PAD).status(); };
  EXPECT_EQ(StatusCode::kInvalidArgument, error({}).code());
  EXPECT_EQ("wrapped key is too short", error({0x01, 0x00}).message());
  Bytes other_version = good;
  other_version[0] = 2;
  EXPECT_EQ("wrapped key has unknown format version 2", error(other_version).message());
  Bytes other_mechanism = good;
  other_mechanism[4] = 0x09;
  EXPECT_EQ("wrapped key was made with another mechanism (0x2109)", error(other_mechanism).message());
  Bytes ragged = good;
  ragged.push_back(0);
  EXPECT_EQ("wrapped key has a bad length (25 bytes)", error(ragged).message());
  EXPECT_EQ(StatusCode::kInvalidArgument, error(EncodeWrappedKey(CKM_AES_KEY_WRAP_PAD, Bytes(8, 1))).code());
  EXPECT_TRUE(ParseWrappedKey(EncodeWrappedKey(CKM_AES_KEY_WRAP_PAD, Bytes(16, 1)), CKM_AES_KEY_WRAP_PAD).ok());
  EXPECT_EQ(StatusCode::kInvalidArgument,
            error(EncodeWrappedKey(CKM_AES_KEY_WRAP_PAD, Bytes(kMaxDataKeySize + 16, 1))).code());
  EXPECT_EQ(StatusCode::kInvalidArgument, error(ToBytes("vault:v1:abcdefghijklmnopqrstuvwxyz")).code());
}

}  // namespace
}  // namespace md::kms::pkcs11
