#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace md::cli {
namespace {

ParseOutcome Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "metrics-dashboard");
  return ParseCommandLine(static_cast<int>(args.size()), args.data(), "metrics-dashboard 0.1.0");
}

TEST(CommandLineTest, ServerWithFlagsAndTrailingOverrides) {
  const ParseOutcome out = Parse({"server", "--homepath", "/h", "--config", "c.ini",
                                  "--configOverrides", "cfg:a.b=1 cfg:c.d=2", "cfg:e.f=3"});
  ASSERT_TRUE(out.command_line.has_value());
  const CommandLine& line = *out.command_line;
  EXPECT_EQ(line.command, Command::kServer);
  EXPECT_EQ(line.options.homepath, "/h");
  EXPECT_EQ(line.options.config_file, "c.ini");
  EXPECT_EQ(line.options.overrides,
            (std::vector<std::string>{"cfg:a.b=1", "cfg:c.d=2", "cfg:e.f=3"}));
}

TEST(CommandLineTest, SecretsMigrationActions) {
  for (const auto& action : SecretsMigrationActions()) {
    const ParseOutcome out =
        Parse({"cli", "--homepath", "/h", "admin", "secrets-migration", action.name});
    ASSERT_TRUE(out.command_line.has_value()) << action.name;
    EXPECT_EQ(out.command_line->command, Command::kSecretsMigration);
    EXPECT_EQ(out.command_line->action, action.name);
    EXPECT_EQ(out.command_line->options.homepath, "/h");
  }
}

TEST(CommandLineTest, CliFlagsMayFollowTheAction) {
  const ParseOutcome out = Parse({"cli", "admin", "secrets-migration", "status", "--homepath",
                                  "/x", "-d", "cfg:log.format=json"});
  ASSERT_TRUE(out.command_line.has_value());
  EXPECT_EQ(out.command_line->options.homepath, "/x");
  EXPECT_EQ(out.command_line->options.overrides,
            (std::vector<std::string>{"cfg:log.format=json", "cfg:log.level=debug"}));
}

TEST(CommandLineTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Parse({}).exit_code, 2);
  EXPECT_EQ(Parse({"bogus"}).exit_code, 2);
  EXPECT_EQ(Parse({"cli", "admin", "secrets-migration", "explode"}).exit_code, 2);
  EXPECT_FALSE(Parse({"cli", "admin"}).command_line.has_value());
}

TEST(CommandLineTest, HelpAndVersionExitWithZero) {
  testing::internal::CaptureStdout();
  const ParseOutcome help = Parse({"--help"});
  const ParseOutcome version = Parse({"--version"});
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_FALSE(help.command_line.has_value());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(printed.find("metrics-dashboard 0.1.0"), std::string::npos);
  EXPECT_NE(printed.find("server"), std::string::npos);
}

}  // namespace
}  // namespace md::cli
