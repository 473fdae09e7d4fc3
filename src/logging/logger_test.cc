#include "logging/logger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace md::logging {
namespace {

const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795341600123));

TEST(FormatLineTest, LogfmtQuotesWhatNeedsQuoting) {
  const std::string line = FormatLine(Format::kLogfmt, kTime, Level::kInfo, "server", "started",
                                      {{"address", "0.0.0.0:3000"}, {"note", "a b \"c\""},
                                       {"empty", ""}});
  EXPECT_EQ(line, "t=2026-11-22T10:00:00.123Z level=info logger=server msg=\"started\" "
                  "address=0.0.0.0:3000 note=\"a b \\\"c\\\"\" empty=\"\"");
}

TEST(FormatLineTest, LogfmtEscapesNewlines) {
  const std::string line = FormatLine(Format::kLogfmt, kTime, Level::kError, "x", "a\nb", {});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("msg=\"a\\nb\""), std::string::npos);
}

TEST(FormatLineTest, JsonIsOneObjectInOrder) {
  const std::string line =
      FormatLine(Format::kJson, kTime, Level::kWarn, "server", "m", {{"status", "200"}});
  EXPECT_EQ(line, R"({"t":"2026-11-22T10:00:00.123Z","level":"warn","logger":"server",)"
                  R"("msg":"m","status":"200"})");
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(LoggerTest, FiltersByLevel) {
  std::vector<std::string> lines;
  auto logger = Logger::NewForTest(Format::kLogfmt, Level::kWarn, &lines);
  logger->Info("a", "hidden");
  logger->Warn("a", "shown");
  logger->Error("a", "shown too");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("level=warn"), std::string::npos);
}

TEST(ParseTest, LevelsAndFormats) {
  EXPECT_EQ(*ParseLevel("debug"), Level::kDebug);
  EXPECT_FALSE(ParseLevel("loud").ok());
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  EXPECT_FALSE(ParseFormat("xml").ok());
}

}  // namespace
}  // namespace md::logging
