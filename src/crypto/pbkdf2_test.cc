#include "crypto/pbkdf2.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/test_vectors.h"

namespace md::crypto {
namespace {

using testing::Hex;
using testing::LoadVectors;

TEST(CryptoPbkdf2Test, Rfc7914Sha256Vectors) {
  auto doc = LoadVectors("pbkdf2/pbkdf2-official.json");
  int checked = 0;
  for (const auto& group : doc["groups"]) {
    if (group["prf"] != "HMAC-SHA-256") continue;  // the RFC 6070 group is HMAC-SHA-1
    for (const auto& v : group["vectors"]) {
      if (v.value("slow", false)) continue;
      SCOPED_TRACE(v["name"].get<std::string>());
      auto dk = Pbkdf2HmacSha256(Hex(v["password_hex"].get<std::string>()),
                                 Hex(v["salt_hex"].get<std::string>()),
                                 v["iterations"].get<uint32_t>(), v["dklen"].get<std::size_t>());
      ASSERT_TRUE(dk.ok());
      EXPECT_EQ(HexEncode(dk->view()), v["dk"].get<std::string>());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2);
}

TEST(CryptoPbkdf2Test, WycheproofVectors) {
  auto doc = LoadVectors("wycheproof/pbkdf2_hmacsha256_test.json");
  int checked = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& t : group["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
      auto dk = Pbkdf2HmacSha256(Hex(t["password"].get<std::string>()),
                                 Hex(t["salt"].get<std::string>()),
                                 t["iterationCount"].get<uint32_t>(), t["dkLen"].get<std::size_t>());
      ASSERT_EQ(t["result"], "valid");
      ASSERT_TRUE(dk.ok());
      EXPECT_EQ(HexEncode(dk->view()), t["dk"].get<std::string>());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 60);
}

TEST(CryptoPbkdf2Test, PasswordWithNulBytesUsesItsFullLength) {
  Bytes with_nul = Hex("00010203040506070809"), prefix = Hex("00");
  auto a = DeriveGrafanaKey(with_nul, AsBytes("saltsalt"));
  auto b = DeriveGrafanaKey(prefix, AsBytes("saltsalt"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_FALSE(a->Equals(*b));
}

TEST(CryptoPbkdf2Test, RejectsZeroIterations) {
  EXPECT_EQ(Pbkdf2HmacSha256(AsBytes("a"), AsBytes("b"), 0, 32).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace md::crypto
