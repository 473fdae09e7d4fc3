#include "auth/password_hash.h"

#include <gtest/gtest.h>

namespace md::auth {
namespace {

TEST(PasswordHashTest, MatchesGrafanasEncodePassword) {
  // Python: hashlib.pbkdf2_hmac("sha256", b"admin", b"F3FAxVm33R", 10000, 50).hex()
  auto hash = HashPassword(SecretBytes(std::string_view("admin")), "F3FAxVm33R");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, "59acf18b94d7eb0694c61e60ce44c110c7a683ac6a8f09580d626f90f4a242000746579358d77dd9e570e83fa24faa88a8a6");
}

TEST(PasswordHashTest, AcceptsARealGrafanaUserRow) {
  // user "admin" (password "admin") of ../shared/fixtures/grafana-databases/FranckPachot__yb-perf-hub__*.db
  const char* stored =
      "55b41bf63832cdf335d884dbde6cd77631d7fe084767cd7a06d462ebf5db769f2207efe457b1712d0d319d27006a4d7d0c17";
  EXPECT_TRUE(PasswordMatches(SecretBytes(std::string_view("admin")), "bDE3GbYRps", stored));
  EXPECT_FALSE(PasswordMatches(SecretBytes(std::string_view("Admin")), "bDE3GbYRps", stored));
}

TEST(PasswordHashTest, AcceptsTheRightPasswordOnly) {
  auto salt = NewSalt();
  ASSERT_TRUE(salt.ok());
  EXPECT_EQ(salt->size(), kSaltLength);
  auto hash = HashPassword(SecretBytes(std::string_view("s3cret")), *salt);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->size(), 100u);
  EXPECT_TRUE(PasswordMatches(SecretBytes(std::string_view("s3cret")), *salt, *hash));
  EXPECT_FALSE(PasswordMatches(SecretBytes(std::string_view("s3creT")), *salt, *hash));
  EXPECT_FALSE(PasswordMatches(SecretBytes(std::string_view("s3cret")), "othersalt1", *hash));
}

TEST(PasswordHashTest, RefusesEmptyOrMalformedStoredHashes) {
  EXPECT_FALSE(PasswordMatches(SecretBytes(std::string_view("")), "", ""));
  EXPECT_FALSE(PasswordMatches(SecretBytes(std::string_view("x")), "salt", "abcd"));
}

TEST(PasswordHashTest, SaltsDiffer) {
  EXPECT_NE(*NewSalt(), *NewSalt());
}

}  // namespace
}  // namespace md::auth
