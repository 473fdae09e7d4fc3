#include "auth/login_rate_limiter.h"

#include <gtest/gtest.h>

namespace md::auth {
namespace {

using Clock = LoginRateLimiter::Clock;

class LoginRateLimiterTest : public ::testing::Test {
 protected:
  Clock::time_point now_ = Clock::time_point(std::chrono::hours(1));
  LoginRateLimiter limiter_{LoginRateLimiter::Options{}, [this] { return now_; }};

  void Fail(const char* login, const char* address, int times) {
    for (int i = 0; i < times; ++i) limiter_.RecordFailure(login, address);
  }
};

TEST_F(LoginRateLimiterTest, LimitsALoginAfterFiveFailuresFromAnyAddress) {
  for (int i = 0; i < 4; ++i) limiter_.RecordFailure("bob", "10.0.0." + std::to_string(i));
  EXPECT_TRUE(limiter_.Check("bob", "10.0.0.9").ok());
  limiter_.RecordFailure("bob", "10.0.0.8");
  Status s = limiter_.Check("bob", "10.0.0.9");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("try again in 300s"), std::string::npos);
  EXPECT_TRUE(limiter_.Check("alice", "10.0.0.9").ok());
}

TEST_F(LoginRateLimiterTest, LimitsAnAddressTryingManyLogins) {
  for (int i = 0; i < 5; ++i) limiter_.RecordFailure("user" + std::to_string(i), "10.1.1.1");
  EXPECT_EQ(limiter_.Check("someone-else", "10.1.1.1").code(), StatusCode::kUnavailable);
  EXPECT_TRUE(limiter_.Check("someone-else", "10.1.1.2").ok());
}

TEST_F(LoginRateLimiterTest, FailuresExpireAfterTheWindow) {
  Fail("bob", "a", 5);
  now_ += std::chrono::seconds(299);
  EXPECT_FALSE(limiter_.Check("bob", "b").ok());
  now_ += std::chrono::seconds(1);
  EXPECT_TRUE(limiter_.Check("bob", "b").ok());
  EXPECT_TRUE(limiter_.Check("carol", "a").ok());
}

TEST_F(LoginRateLimiterTest, ASlidingWindowCountsOnlyRecentFailures) {
  Fail("bob", "a", 3);
  now_ += std::chrono::seconds(200);
  Fail("bob", "a", 2);
  EXPECT_FALSE(limiter_.Check("bob", "a").ok());
  now_ += std::chrono::seconds(100);  // the first three are 300s old now
  EXPECT_TRUE(limiter_.Check("bob", "a").ok());
}

TEST(LoginRateLimiterBoundTest, MemoryStaysBounded) {
  auto now = Clock::time_point(std::chrono::hours(1));
  LoginRateLimiter limiter({.max_failures = 5, .window = std::chrono::seconds(300), .max_tracked_keys = 10},
                           [&] { return now; });
  for (int i = 0; i < 100; ++i) limiter.RecordFailure("u" + std::to_string(i), "addr");
  EXPECT_TRUE(limiter.Check("u1", "other").ok());  // forgotten when the table overflowed
}

}  // namespace
}  // namespace md::auth
