#include "server/password_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "server/common_passwords.h"

namespace writ::server {
namespace {

using namespace std::string_literals;

void ExpectRefused(std::string_view password, std::string_view detail, const PasswordPolicy& policy = {}) {
  const Status status = CheckNewPassword(password, policy);
  ASSERT_FALSE(status.has_value()) << password;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().detail, detail) << password;
}

TEST(CommonPasswords, ListIsSortedUniqueLowerCaseAndLongEnough) {
  const auto list = CommonPasswords();
  EXPECT_GE(list.size(), 400u);
  EXPECT_TRUE(std::ranges::is_sorted(list));
  EXPECT_EQ(std::set<std::string_view>(list.begin(), list.end()).size(), list.size());
  for (std::string_view entry : list) {
    EXPECT_GE(entry.size(), kCommonPasswordMinLength) << entry;
    EXPECT_TRUE(std::ranges::none_of(entry, [](char c) { return c >= 'A' && c <= 'Z'; })) << entry;
    EXPECT_TRUE(std::ranges::all_of(entry, [](char c) { return c > ' ' && c < 0x7f; })) << entry;
  }
}

TEST(CommonPasswords, ListHoldsTheClassics) {
  for (std::string_view classic : {"password", "123456789", "qwertyuiop", "iloveyou1", "11111111", "12345678",
                                   "sunshine", "princess", "football", "baseball", "welcome1", "password1",
                                   "passw0rd", "letmein1", "trustno1", "abcdefgh", "qwerty123", "1q2w3e4r",
                                   "zaq12wsx"}) {
    EXPECT_TRUE(IsCommonPassword(classic)) << classic;
  }
}

TEST(PasswordRules, CommonPasswordIsRefusedInAnyCase) {
  ExpectRefused("password", "password_too_common");
  ExpectRefused("PassWord1", "password_too_common");
  ExpectRefused("QWERTYUIOP", "password_too_common");
  ExpectRefused("TrustNo1", "password_too_common");
}

TEST(PasswordRules, NearMissOfACommonPasswordIsAccepted) {
  EXPECT_FALSE(IsCommonPassword("password9x"));
  EXPECT_FALSE(IsCommonPassword("passwor"));
  EXPECT_FALSE(IsCommonPassword("password "));
  EXPECT_FALSE(IsCommonPassword(" password"));
  EXPECT_FALSE(IsCommonPassword("password\0"s));
  EXPECT_TRUE(CheckNewPassword("correct horse battery staple", {}).has_value());
}

TEST(PasswordRules, LengthAtTheMinimumIsAccepted) {
  EXPECT_TRUE(CheckNewPassword("xk4!vq9z", {}).has_value());
}

TEST(PasswordRules, LengthUnderTheMinimumIsRefused) {
  ExpectRefused("xk4!vq9", "password_too_short");
  ExpectRefused("", "password_too_short");
}

TEST(PasswordRules, LengthAtTheMaximumIsAccepted) {
  std::string longest(1024, 'z');
  longest[0] = 'q';
  EXPECT_TRUE(CheckNewPassword(longest, {}).has_value());
}

TEST(PasswordRules, LengthOverTheMaximumIsRefused) {
  ExpectRefused(std::string(1025, 'z'), "password_too_long");
  ExpectRefused(std::string(1'000'000, 'z'), "password_too_long");
}

TEST(PasswordRules, LengthIsCountedInBytes) {
  // Four 2-byte characters are 8 bytes: accepted at min 8; three 3-byte characters are 9 bytes.
  EXPECT_TRUE(CheckNewPassword("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", {}).has_value());
  PasswordPolicy policy;
  policy.min_length = 10;
  ExpectRefused("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", "password_too_short", policy);
  policy.min_length = 4;
  policy.max_length = 8;
  ExpectRefused("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", "password_too_long", policy);
}

TEST(PasswordRules, PolicyBoundsAreHonoured) {
  PasswordPolicy policy;
  policy.min_length = 12;
  policy.max_length = 16;
  ExpectRefused("elevenchars", "password_too_short", policy);
  EXPECT_TRUE(CheckNewPassword("twelve chars", policy).has_value());
  EXPECT_TRUE(CheckNewPassword("sixteen chars ok", policy).has_value());
  ExpectRefused("seventeen chars!!", "password_too_long", policy);
}

TEST(PasswordRules, ValidUtf8IsAccepted) {
  EXPECT_TRUE(CheckNewPassword("m\xc3\xb6t\xc3\xb6rhead rules", {}).has_value());         // ö
  EXPECT_TRUE(CheckNewPassword("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81", {}).has_value());  // CJK
  EXPECT_TRUE(CheckNewPassword("\xf0\x9f\x94\x91\xf0\x9f\x94\x92 emoji", {}).has_value());  // U+1F511
  EXPECT_TRUE(CheckNewPassword("edge \xf4\x8f\xbf\xbf \xef\xbf\xbd", {}).has_value());     // U+10FFFF, U+FFFD
}

TEST(PasswordRules, InvalidUtf8IsRefused) {
  for (const std::string& bad : {
           "latin1 caf\xe9 pass"s,                 // lone ISO-8859-1 byte
           "continuation \x80 first"s,             // stray continuation byte
           "overlong slash \xc0\xaf.."s,           // overlong '/'
           "overlong nul \xc0\x80 pad"s,           // modified-UTF-8 NUL
           "overlong 3 \xe0\x80\xaf pad"s,         // overlong in 3 bytes
           "overlong 4 \xf0\x80\x80\xaf pad"s,     // overlong in 4 bytes
           "surrogate \xed\xa0\x80 pad"s,          // U+D800
           "above max \xf4\x90\x80\x80 pad"s,      // U+110000
           "f5 lead \xf5\x80\x80\x80 pad"s,        // never valid
           "ff byte \xff pad pad"s,                // never valid
           "truncated two at end \xc3"s,           // cut sequence
           "truncated four \xf0\x9f\x94 at"s,      // cut, followed by ASCII
       }) {
    ExpectRefused(bad, "password_not_utf8");
  }
}

TEST(PasswordRules, LengthIsCheckedBeforeTheOtherRules) {
  // The detail names the first rule broken, in a fixed order.
  ExpectRefused("\xff\xff", "password_too_short");
  ExpectRefused("password\xff" + std::string(1100, 'a'), "password_too_long");
}

}  // namespace
}  // namespace writ::server
