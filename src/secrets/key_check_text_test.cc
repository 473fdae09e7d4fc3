#include <gtest/gtest.h>

#include "secrets/key_check.h"

namespace md::secrets {
namespace {

bool Text(std::string_view s) { return LooksLikeText(SecretBytes(s)); }

TEST(LooksLikeTextTest, AcceptsPrintableUtf8) {
  EXPECT_TRUE(Text("SuperSecureP@ssw0rd"));
  EXPECT_TRUE(Text("p\xc3\xa4ssw\xc3\xb6rd\n"));
  EXPECT_TRUE(Text(""));
}

TEST(LooksLikeTextTest, RejectsControlBytesAndBrokenUtf8) {
  EXPECT_FALSE(Text(std::string_view("\x97\x99\x32\xd1\x72\x32\xb4", 7)));  // E1 wrong-key garbage
  EXPECT_FALSE(Text(std::string_view("ab\0cd", 5)));
  EXPECT_FALSE(Text("\xc3"));
  EXPECT_FALSE(Text("\xc0\x80"));
}

}  // namespace
}  // namespace md::secrets
