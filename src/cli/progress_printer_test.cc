#include "cli/progress_printer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace md::cli {
namespace {

using ::testing::HasSubstr;

TEST(ProgressPrinterTest, TerminalBarShowsPercentRateAndEta) {
  operations::Progress::Snapshot s;
  s.operation = "re-encrypt";
  s.done = 50;
  s.total = 200;
  s.rows_per_second = 10;
  s.eta_seconds = 15;
  std::string line = ProgressPrinter::Render(s, /*terminal=*/true);
  EXPECT_THAT(line, HasSubstr(" 25% 50/200 rows 10/s ETA 0:15"));
  EXPECT_EQ(line[0], '\r');
}

TEST(ProgressPrinterTest, LogLineNamesTheColumn) {
  operations::Progress::Snapshot s;
  s.operation = "verify";
  s.column = "data_source.secure_json_data";
  s.done = 3;
  s.total = 3;
  std::string line = ProgressPrinter::Render(s, /*terminal=*/false);
  EXPECT_THAT(line, HasSubstr("verify: 3/3 rows (100%)"));
  EXPECT_THAT(line, HasSubstr("at data_source.secure_json_data"));
}

}  // namespace
}  // namespace md::cli
