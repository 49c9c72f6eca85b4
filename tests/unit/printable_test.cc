#include "core/printable.h"

#include <gtest/gtest.h>

namespace writ::internal {
namespace {

TEST(Printable, KeepsPrintableAscii) { EXPECT_EQ(Printable("HS256 kid-1"), "HS256 kid-1"); }

TEST(Printable, EscapesControlCharactersSoNoLineCanBeForged) {
  EXPECT_EQ(Printable("none\ninvalid: ok"), "none\\x0ainvalid: ok");
  EXPECT_EQ(Printable(std::string("a\0b\x1b[2J\r", 8)), "a\\x00b\\x1b[2J\\x0d");
}

TEST(Printable, EscapesQuotesBackslashesAndNonAscii) {
  EXPECT_EQ(Printable("\"\\\x7f\xc3\xa9"), "\\x22\\x5c\\x7f\\xc3\\xa9");
}

TEST(Printable, CutsLongTextAtTheLimit) {
  EXPECT_EQ(Printable(std::string(10, 'a'), 4), "aaaa...");
  EXPECT_EQ(Printable(std::string(4, 'a'), 4), "aaaa");
}

}  // namespace
}  // namespace writ::internal
