#include "secrets/data_key_cache.h"

#include <gtest/gtest.h>

namespace md::secrets {
namespace {

Clock::time_point fake_now;
Clock::time_point FakeNow() { return fake_now; }

CachedDataKey Entry(std::string id, std::string label, bool active = true) {
  return CachedDataKey{std::move(id), std::move(label), active,
                       std::make_shared<const SecretBytes>(std::string_view("0123456789abcdef"))};
}

class DataKeyCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { fake_now = Clock::time_point(std::chrono::hours(1000)); }
  DataKeyCache cache_{std::chrono::minutes(15), &FakeNow};
};

TEST_F(DataKeyCacheTest, FindsEntriesByIdAndByLabelUntilTheyExpire) {
  cache_.AddById(Entry("id1", "2024-05-01/root@secretKey.v1"));
  cache_.AddByLabel(Entry("id1", "2024-05-01/root@secretKey.v1"));
  EXPECT_TRUE(cache_.GetById("id1"));
  EXPECT_TRUE(cache_.GetByLabel("2024-05-01/root@secretKey.v1"));
  fake_now += std::chrono::minutes(15);
  EXPECT_FALSE(cache_.GetById("id1"));
  EXPECT_FALSE(cache_.GetByLabel("2024-05-01/root@secretKey.v1"));
}

TEST_F(DataKeyCacheTest, LabelLookupSkipsInactiveKeys) {
  cache_.AddByLabel(Entry("id1", "l", /*active=*/false));
  EXPECT_FALSE(cache_.GetByLabel("l"));
}

TEST_F(DataKeyCacheTest, CleanupRemovesOnlyExpiredEntries) {
  cache_.AddById(Entry("old", "l1"));
  fake_now += std::chrono::minutes(10);
  cache_.AddById(Entry("new", "l2"));
  fake_now += std::chrono::minutes(6);
  cache_.RemoveExpired();
  EXPECT_EQ(cache_.size(), 1u);
  EXPECT_TRUE(cache_.GetById("new"));
}

TEST_F(DataKeyCacheTest, FlushEmptiesBothMapsAndFlushLabelsKeepsIds) {
  cache_.AddById(Entry("id1", "l"));
  cache_.AddByLabel(Entry("id1", "l"));
  cache_.FlushLabels();
  EXPECT_TRUE(cache_.GetById("id1"));
  EXPECT_FALSE(cache_.GetByLabel("l"));
  cache_.Flush();
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(DataKeyCacheTest, ReaderKeepsKeyAliveAfterEviction) {
  cache_.AddById(Entry("id1", "l"));
  auto held = cache_.GetById("id1");
  cache_.Flush();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->key->size(), 16u);
}

}  // namespace
}  // namespace md::secrets
