#include "auth/service_token.h"

#include <gtest/gtest.h>

namespace md::auth {
namespace {

TEST(ServiceTokenTest, Crc32MatchesZlib) {
  EXPECT_EQ(Crc32("123456789"), 0xcbf43926u);
  EXPECT_EQ(Crc32("glsa_abcdefghijklmnopqrstuvwxyzABCDEF"), 0x3fef61ecu);
}

TEST(ServiceTokenTest, NewTokensHaveGrafanasShapeAndDiffer) {
  auto a = NewServiceToken();
  auto b = NewServiceToken();
  ASSERT_TRUE(a.ok() && b.ok());
  std::string ta = a->InsecureString(), tb = b->InsecureString();
  EXPECT_EQ(ta.size(), 5u + 32u + 1u + 8u);
  EXPECT_EQ(ta.substr(0, 5), "glsa_");
  EXPECT_TRUE(IsWellFormedToken(ta));
  EXPECT_NE(ta, tb);
}

TEST(ServiceTokenTest, RefusesBadChecksumsAndShapes) {
  EXPECT_TRUE(IsWellFormedToken("glsa_abcdefghijklmnopqrstuvwxyzABCDEF_3fef61ec"));
  EXPECT_FALSE(IsWellFormedToken("glsa_abcdefghijklmnopqrstuvwxyzABCDEF_3fef61ed"));
  EXPECT_FALSE(IsWellFormedToken("glsa_abcdefghijklmnopqrstuvwxyzABCDE_3fef61ec"));
  EXPECT_FALSE(IsWellFormedToken("glsb_abcdefghijklmnopqrstuvwxyzABCDEF_3fef61ec"));
  EXPECT_FALSE(IsWellFormedToken(""));
}

TEST(ServiceTokenTest, HashIsSha256Hex) {
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace md::auth
