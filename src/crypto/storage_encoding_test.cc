#include "crypto/storage_encoding.h"

#include <gtest/gtest.h>

namespace md::crypto {
namespace {

TEST(CryptoStorageEncodingTest, EncodesEachForm) {
  Bytes blob = ToBytes("#ab");
  EXPECT_EQ(EncodeForStorage(ToBytes("ab"), StorageEncoding::kBase64Padded), "YWI=");
  EXPECT_EQ(EncodeForStorage(ToBytes("ab"), StorageEncoding::kBase64Raw), "YWI");
  EXPECT_EQ(EncodeForStorage(blob, StorageEncoding::kRawBlob), "#ab");
}

TEST(CryptoStorageEncodingTest, DecodingAcceptsPaddedAndUnpadded) {
  for (auto encoding : {StorageEncoding::kBase64Padded, StorageEncoding::kBase64Raw}) {
    EXPECT_EQ(*DecodeStored("YWI=", encoding), ToBytes("ab"));
    EXPECT_EQ(*DecodeStored("YWI", encoding), ToBytes("ab"));
    EXPECT_EQ(DecodeStored("Y*I", encoding).status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(*DecodeStored("Y*I", StorageEncoding::kRawBlob), ToBytes("Y*I"));
}

TEST(CryptoStorageEncodingTest, JsonMapIsCompactSortedPaddedLikeGo) {
  std::map<std::string, Bytes> values{{"password", ToBytes("a")}, {"basicAuthPassword", ToBytes("bc")},
                                      {"<&>", {}}};
  EXPECT_EQ(EncodeSecureJsonMap(values),
            R"({"\u003c\u0026\u003e":"","basicAuthPassword":"YmM=","password":"YQ=="})");
  auto back = DecodeSecureJsonMap(EncodeSecureJsonMap(values));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, values);
  EXPECT_EQ(EncodeSecureJsonMap({}), "{}");
}

TEST(CryptoStorageEncodingTest, JsonKeysEscapedLikeGo) {
  std::map<std::string, Bytes> values{{std::string("a\"\\\n\x01\b\f\xff\xE2\x80\xA8\xC3\xA9", 13), {}}};
  EXPECT_EQ(EncodeSecureJsonMap(values),
            "{\"a\\\"\\\\\\n\\u0001\\b\\f\\ufffd\\u2028\xC3\xA9\":\"\"}");
}

TEST(CryptoStorageEncodingTest, JsonMapDecodeAcceptsUnpaddedAndNull) {
  auto map = DecodeSecureJsonMap(R"({ "a" : "YWI", "b": null, "c": "YWI=" })");
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->at("a"), ToBytes("ab"));
  EXPECT_TRUE(map->at("b").empty());
  EXPECT_EQ(map->at("c"), ToBytes("ab"));
}

TEST(CryptoStorageEncodingTest, JsonMapErrors) {
  EXPECT_FALSE(DecodeSecureJsonMap("").ok());
  EXPECT_FALSE(DecodeSecureJsonMap("[]").ok());
  EXPECT_FALSE(DecodeSecureJsonMap(R"({"a":1})").ok());
  auto bad = DecodeSecureJsonMap(R"({"k":"not base64!"})");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().find("not base64!"), std::string::npos);
  EXPECT_FALSE(DecodeSecureJsonMap(R"({"a":"YWI=")").ok());
}

}  // namespace
}  // namespace md::crypto
