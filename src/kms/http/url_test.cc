#include "kms/http/url.h"

#include <gtest/gtest.h>

namespace md::kms::http {
namespace {

TEST(KmsHttpUrlTest, ParsesHostPortAndPath) {
  Result<Url> u = ParseUrl("http://127.0.0.1:8443");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ("http", u->scheme);
  EXPECT_EQ("127.0.0.1", u->host);
  EXPECT_EQ(8443, u->port);
  EXPECT_EQ("/", u->path);
  EXPECT_EQ("127.0.0.1:8443", u->HostHeader());
  EXPECT_TRUE(u->IsLoopback());
}

TEST(KmsHttpUrlTest, OmitsDefaultPortsFromTheHostHeader) {
  EXPECT_EQ("kms.us-east-1.amazonaws.com", ParseUrl("https://kms.us-east-1.amazonaws.com:443/")->HostHeader());
  EXPECT_EQ("kms.us-east-1.amazonaws.com", ParseUrl("HTTPS://kms.us-east-1.amazonaws.com")->HostHeader());
}

TEST(KmsHttpUrlTest, BracketsIpv6) {
  Result<Url> u = ParseUrl("http://[::1]:9000/a?b=c");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ("::1", u->host);
  EXPECT_EQ("[::1]:9000", u->HostHeader());
  EXPECT_EQ("/a", u->path);
  EXPECT_EQ("b=c", u->query);
  EXPECT_EQ("http://[::1]:9000/a?b=c", u->ToString());
}

TEST(KmsHttpUrlTest, RejectsBadUrls) {
  for (const char* bad : {"kms.example", "ftp://x", "http://", "http://user:pw@host/",
                          "http://h:0", "http://h:99999", "http://h:x", "http://[::1"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
  EXPECT_EQ(std::string::npos, ParseUrl("http://user:pw@host/").status().message().find("pw"));
}

}  // namespace
}  // namespace md::kms::http
