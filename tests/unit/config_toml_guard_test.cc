// What toml++ is never given (server/config_toml_guard.h), checked on CheckTomlText and at
// the entry point ParseConfigToml. The attacks, found by fuzz/config_fuzzer.cc: a file under
// the 1 MiB limit made of one long dotted key or table header overflowed the stack inside
// toml++ (which recurses once per nesting level), and a non-ASCII character where toml++
// looks for whitespace reached __builtin_unreachable in toml++ 3.3.
#include "server/config_toml_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "server/config_values.h"

namespace writ::server {
namespace {

// "a.a.a…" with `dots` dots.
std::string DottedPath(std::size_t dots) {
  std::string path = "a";
  for (std::size_t i = 0; i < dots; ++i) {
    path += ".a";
  }
  return path;
}

bool RefusedFor(const Result<ConfigValues>& values, std::string_view why) {
  return !values && values.error().code == ErrorCode::kInvalidArgument &&
         values.error().detail.find(why) != std::string::npos;
}

constexpr std::string_view kTooDeep = "'.' outside strings";
constexpr std::string_view kNonAscii = "non-ASCII";

TEST(ConfigTomlGuard, DottedKeyHalfAMillionDeepIsRefusedNotCrashed) {
  const std::string toml = DottedPath(500'000) + " = 1\n";
  ASSERT_LT(toml.size(), kMaxConfigFileBytes);
  auto values = ParseConfigToml(toml, "writ.toml");
  ASSERT_TRUE(RefusedFor(values, kTooDeep));
  EXPECT_NE(values.error().detail.find("config: writ.toml:1: more than 64"), std::string::npos)
      << values.error().detail;
}

TEST(ConfigTomlGuard, DeepTableHeaderIsRefusedWithItsLine) {
  const std::string toml = "listen = \"127.0.0.1:8443\"\n[" + DottedPath(300'000) + "]\nb = 1\n";
  auto values = ParseConfigToml(toml, "writ.toml");
  ASSERT_TRUE(RefusedFor(values, kTooDeep));
  EXPECT_NE(values.error().detail.find("config: writ.toml:2:"), std::string::npos)
      << values.error().detail;
}

TEST(ConfigTomlGuard, DottedKeyInsideInlineTableCounts) {
  EXPECT_TRUE(RefusedFor(
      ParseConfigToml("http = { " + DottedPath(kMaxConfigLineDots + 1) + " = 1 }\n", "w"),
      kTooDeep));
}

TEST(ConfigTomlGuard, SixtyFourDotsOnALineAreLeftToTheSchema) {
  auto at_limit = ParseConfigToml(DottedPath(kMaxConfigLineDots) + " = 1\n", "writ.toml");
  ASSERT_TRUE(RefusedFor(at_limit, "unknown table")) << at_limit.error().detail;
  EXPECT_TRUE(
      RefusedFor(ParseConfigToml(DottedPath(kMaxConfigLineDots + 1) + " = 1\n", "writ.toml"),
                 kTooDeep));
}

TEST(ConfigTomlGuard, DotsInStringsAndCommentsDoNotCount) {
  const std::string dots(500, '.');
  const std::string toml = "# " + dots + "\n" +
                           "store = \"sqlite:/var/lib/" + dots + "\\\"" + dots + "\"\r\n" +
                           "web_root = '/srv/" + dots + "'\n" +
                           "[tokens]\n" +
                           "issuer = \"\"\"https://\n" + dots + "\n\\\n  " + dots + "\"\"\"\n" +
                           "audience = '''\n" + dots + "\n" + dots + "'''  # " + dots + "\n";
  auto values = ParseConfigToml(toml, "writ.toml");
  ASSERT_TRUE(values) << values.error().detail;
  EXPECT_TRUE(values->Has("store"));
  EXPECT_TRUE(values->Has("web_root"));
  EXPECT_TRUE(values->Has("tokens.issuer"));
  EXPECT_TRUE(values->Has("tokens.audience"));
}

TEST(ConfigTomlGuard, MultiLineStringEndingInQuotesDoesNotHideTheNextLine) {
  // """x""""" is x"" and the closing delimiter; '''x''''' likewise.
  for (const std::string opening : {"web_root = \"\"\"x\"\"\"\"\"\n", "web_root = '''x'''''\n"}) {
    auto values = ParseConfigToml(opening + DottedPath(100'000) + " = 1\n", "writ.toml");
    ASSERT_TRUE(RefusedFor(values, kTooDeep)) << opening;
    EXPECT_NE(values.error().detail.find("writ.toml:2:"), std::string::npos)
        << values.error().detail;
  }
}

TEST(ConfigTomlGuard, BackslashNewlineEndsABasicStringForTheCount) {
  // Not valid TOML ("…" holds no line break); the next line must still be counted.
  EXPECT_TRUE(RefusedFor(
      ParseConfigToml("web_root = \"x\\\n" + DottedPath(100'000) + " = 1\n", "w"), kTooDeep));
}

TEST(ConfigTomlGuard, NonAsciiOutsideStringsIsRefused) {
  // U+00A7 and U+00CA: the code points toml++ 3.3's whitespace lookup cannot answer.
  for (const std::string toml : {"web_root = 1\xC2\xA7\n", "web_root = \"x\" \xC3\x8A\n",
                                 "http = { max_header_\xC3\x8A = 1 }\n",
                                 "[tokens]\n\xC2\xA7 = 1\n"}) {
    EXPECT_TRUE(RefusedFor(ParseConfigToml(toml, "writ.toml"), kNonAscii)) << toml;
  }
}

TEST(ConfigTomlGuard, QuoteInsideAValueOpensNoString) {
  // toml++ reads +"..., 1"... and 3Z*x="... as one value and scans the characters after the
  // quote with the whitespace lookup, so a non-ASCII character there is refused as outside
  // any string.
  for (const std::string toml : {"[tokens]\nissuer =+\"http://\xD1\x9Boca\"\n",
                                 "web_root = 1\"\xC2\xA7\"\n", "web_root = 'x''\xC2\xA7'\n",
                                 "g=3Z*sie=\"raz\xEF\xBB\xBE\"\n"}) {
    EXPECT_TRUE(RefusedFor(ParseConfigToml(toml, "writ.toml"), kNonAscii)) << toml;
  }
}

TEST(ConfigTomlGuard, NonAsciiAfterABackslashInAMultiLineStringIsRefused) {
  for (const std::string toml : {"web_root = \"\"\"\\\n\xC2\xA7\"\"\"\n",
                                 "web_root = \"\"\"\\  \r\n\n\t\xC2\xA7\"\"\"\n",
                                 "web_root = \"\"\"\\\xC2\xA7\"\"\"\n"}) {
    auto values = ParseConfigToml(toml, "writ.toml");
    EXPECT_TRUE(RefusedFor(values, kNonAscii)) << toml;
  }
  auto problem = CheckTomlText("web_root = \"\"\"x\\\n\n\xC2\xA7\"\"\"\n");
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->line, 3u);
}

TEST(ConfigTomlGuard, NonAsciiInStringsCommentsAndQuotedKeysIsKept) {
  const std::string toml = "\xEF\xBB\xBF# caf\xC3\xA9 \xC2\xA7\n"
                           "web_root = \"/srv/caf\xC3\xA9 \xC2\xA7\"\n"
                           "store = 'sqlite:/var/lib/\xC3\x8A.db'\n"
                           "[tokens]\n"
                           "issuer = \"\"\"https://auth.example.com/\xC2\xA7\\\n"
                           "  x\"\"\"\n"
                           "audience = '''\n\xC2\xA7'''\n";
  EXPECT_FALSE(CheckTomlText(toml).has_value());
  auto values = ParseConfigToml(toml, "writ.toml");
  ASSERT_TRUE(values) << values.error().detail;
  EXPECT_TRUE(values->Has("tokens.audience"));
  EXPECT_TRUE(ParseConfigToml("tokens.\"issuer\" = \"\xC2\xA7\"\n", "w").has_value());
  // A quoted key may hold any character (then it is refused as unknown, not as non-ASCII).
  EXPECT_TRUE(RefusedFor(ParseConfigToml("\"caf\xC3\xA9\" = 1\n", "w"), "unknown key"));
}

}  // namespace
}  // namespace writ::server
