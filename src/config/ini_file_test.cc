#include "config/ini_file.h"

#include <gtest/gtest.h>

namespace md::config {
namespace {

IniFile MustParse(std::string_view text) {
  auto ini = IniFile::Parse(text, "test.ini");
  EXPECT_TRUE(ini.ok()) << ini.status().ToString();
  return ini.ok() ? *ini : IniFile();
}

TEST(IniFileTest, ReadsSectionsKeysAndTrimsBlanks) {
  const IniFile ini = MustParse("top = 1\n[server]\n  http_port =  3000 \r\n[security.encryption]\nalgorithm=aes-gcm\n");
  EXPECT_EQ(*ini.Get("", "top"), "1");
  EXPECT_EQ(*ini.Get("server", "http_port"), "3000");
  EXPECT_EQ(*ini.Get("security.encryption", "algorithm"), "aes-gcm");
  EXPECT_EQ(ini.Get("server", "missing"), nullptr);
}

TEST(IniFileTest, SkipsFullLineAndInlineComments) {
  const IniFile ini = MustParse("; one\n# two\n[a]\nk = v ; comment\nj = w#x\nempty =\n");
  EXPECT_EQ(*ini.Get("a", "k"), "v");
  EXPECT_EQ(*ini.Get("a", "j"), "w");
  EXPECT_EQ(*ini.Get("a", "empty"), "");
}

TEST(IniFileTest, TripleQuotesKeepCommentCharacters) {
  const IniFile ini = MustParse("[database]\npassword = \"\"\"p#ss;word\"\"\"\n");
  EXPECT_EQ(*ini.Get("database", "password"), "p#ss;word");
}

TEST(IniFileTest, TripleQuotesMaySpanLines) {
  const IniFile ini = MustParse("[a]\nk = \"\"\"line1\nline2\"\"\"\nnext = 1\n");
  EXPECT_EQ(*ini.Get("a", "k"), "line1\nline2");
  EXPECT_EQ(*ini.Get("a", "next"), "1");
}

TEST(IniFileTest, PlainQuotesAreRemoved) {
  const IniFile ini = MustParse("[a]\nk = \"quoted; value\"\nb = `back`\n");
  EXPECT_EQ(*ini.Get("a", "k"), "quoted; value");
  EXPECT_EQ(*ini.Get("a", "b"), "back");
}

TEST(IniFileTest, EmptySectionIsKept) {
  const IniFile ini = MustParse("[security.encryption.awskms.prod]\n");
  EXPECT_TRUE(ini.HasSection("security.encryption.awskms.prod"));
  EXPECT_TRUE(ini.Keys("security.encryption.awskms.prod").empty());
}

TEST(IniFileTest, ErrorsNameFileAndLine) {
  auto bad = IniFile::Parse("[a]\nno equals sign\n", "x.ini");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "x.ini:2: expected 'key = value'");
  EXPECT_FALSE(IniFile::Parse("[a\n", "x.ini").ok());
  EXPECT_FALSE(IniFile::Parse("[a]\nk = \"\"\"open\n", "x.ini").ok());
}

TEST(IniFileTest, MergeOverridesKeys) {
  IniFile base = MustParse("[a]\nk = 1\nj = 2\n");
  base.Merge(MustParse("[a]\nk = 3\n[b]\nx = y\n"));
  EXPECT_EQ(*base.Get("a", "k"), "3");
  EXPECT_EQ(*base.Get("a", "j"), "2");
  EXPECT_EQ(*base.Get("b", "x"), "y");
}

}  // namespace
}  // namespace md::config
