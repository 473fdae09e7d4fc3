#include "secrets/data_key_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace md::secrets {
namespace {

TEST(DataKeyIdTest, LooksLikeGrafanaUuidIdsAndNeverStartsWithDigit) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = NewDataKeyId();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_THAT(id, ::testing::MatchesRegex("[a-f][0-9a-f]{7}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(DataKeyIdTest, LabelUsesLocalDateScopeAndProvider) {
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 4;
  tm.tm_mday = 1;
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  auto t = Clock::from_time_t(std::mktime(&tm));
  EXPECT_EQ(DataKeyLabel("root", "secretKey.v1", t), "2024-05-01/root@secretKey.v1");
}

}  // namespace
}  // namespace md::secrets
