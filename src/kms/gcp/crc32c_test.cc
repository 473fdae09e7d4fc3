#include "kms/gcp/crc32c.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "common/encoding.h"

namespace md::kms::gcp {
namespace {

TEST(Crc32cTest, MatchesTheOfficialVectors) {
  std::ifstream in(std::string(MD_SHARED_DIR) + "/vectors/crc32c/crc32c-official.json");
  ASSERT_TRUE(in.good());
  nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_GE(doc["vectors"].size(), 5u);
  for (const nlohmann::json& v : doc["vectors"]) {
    Result<Bytes> data = HexDecode(v["data"].get<std::string>());
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(v["crc32c_decimal"].get<std::string>(), Crc32cDecimal(*data)) << v["name"];
    EXPECT_EQ(std::stoul(v["crc32c_hex"].get<std::string>(), nullptr, 16), Crc32c(*data)) << v["name"];
  }
}

TEST(Crc32cTest, CheckValueAndEmptyInput) {
  EXPECT_EQ(0xE3069283u, Crc32c(AsBytes("123456789")));
  EXPECT_EQ(0u, Crc32c(ByteView()));
}

}  // namespace
}  // namespace md::kms::gcp
