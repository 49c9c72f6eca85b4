#include "server/cookies.h"

#include <gtest/gtest.h>

namespace writ::server {
namespace {

HttpRequest WithCookieHeaders(std::initializer_list<std::string> values) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/";
  request.headers.emplace_back("host", "example.com");
  for (const auto& value : values) {
    request.headers.emplace_back("cookie", value);
  }
  return request;
}

TEST(AccessCookie, HasExactlyTheDesignAttributes) {
  EXPECT_EQ(AccessCookie("a.b.c", std::chrono::seconds(900)),
            "__Host-writ-access=a.b.c; Path=/; Max-Age=900; Secure; HttpOnly; SameSite=Lax");
}

TEST(RefreshCookie, WithoutRememberIsABrowserSessionCookie) {
  EXPECT_EQ(RefreshCookie("tok_-123", std::nullopt),
            "__Secure-writ-refresh=tok_-123; Path=/auth; Secure; HttpOnly; SameSite=Strict");
}

TEST(RefreshCookie, WithRememberHasMaxAge) {
  EXPECT_EQ(RefreshCookie("tok", std::chrono::seconds(2592000)),
            "__Secure-writ-refresh=tok; Path=/auth; Secure; HttpOnly; SameSite=Strict; Max-Age=2592000");
}

TEST(ClearCookies, HaveEmptyValueMaxAgeZeroAndTheSameAttributes) {
  EXPECT_EQ(ClearAccessCookie(), "__Host-writ-access=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
  EXPECT_EQ(ClearRefreshCookie(),
            "__Secure-writ-refresh=; Path=/auth; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

TEST(AccessCookie, NegativeMaxAgeIsWrittenAsZero) {
  EXPECT_EQ(AccessCookie("x", std::chrono::seconds(-5)),
            "__Host-writ-access=x; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
}

TEST(FindCookie, ReadsEachCookieOfANormalHeader) {
  const auto request = WithCookieHeaders({"theme=dark; __Host-writ-access=h.p.s; __Secure-writ-refresh=abc"});
  EXPECT_EQ(FindCookie(request, kAccessCookie), "h.p.s");
  EXPECT_EQ(FindCookie(request, kRefreshCookie), "abc");
  EXPECT_EQ(FindCookie(request, "theme"), "dark");
}

TEST(FindCookie, MissingCookieIsAbsent) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"theme=dark"}), kAccessCookie), std::nullopt);
  EXPECT_EQ(FindCookie(WithCookieHeaders({}), kAccessCookie), std::nullopt);
}

TEST(FindCookie, EmptyValueIsReturnedEmpty) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=; b=2"}), "a"), "");
}

TEST(FindCookie, NamesCompareCaseSensitively) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"__host-writ-access=x"}), kAccessCookie), std::nullopt);
}

TEST(FindCookie, ToleratesExtraSpacesAroundSemicolons) {
  const auto request = WithCookieHeaders({"a=1 ;b=2;  c=3 ;\td=4"});
  EXPECT_EQ(FindCookie(request, "a"), "1");
  EXPECT_EQ(FindCookie(request, "b"), "2");
  EXPECT_EQ(FindCookie(request, "c"), "3");
  EXPECT_EQ(FindCookie(request, "d"), "4");
}

TEST(FindCookie, ValueWithEqualsSignIsKept) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=x=y=="}), "a"), "x=y==");
}

TEST(FindCookie, ReadsCookiesSplitOverSeveralHeaders) {
  const auto request = WithCookieHeaders({"a=1", "__Host-writ-access=tok; b=2"});
  EXPECT_EQ(FindCookie(request, kAccessCookie), "tok");
  EXPECT_EQ(FindCookie(request, "a"), "1");
}

TEST(FindCookie, ManyCookiesAreAllFound) {
  std::string header;
  for (int i = 0; i < 100; ++i) {
    header += (i == 0 ? "" : "; ") + std::string("c") + std::to_string(i) + "=v" + std::to_string(i);
  }
  const auto request = WithCookieHeaders({header});
  EXPECT_EQ(FindCookie(request, "c0"), "v0");
  EXPECT_EQ(FindCookie(request, "c57"), "v57");
  EXPECT_EQ(FindCookie(request, "c99"), "v99");
}

// Attack: a sibling subdomain plants a second __Host-writ-access (cookie tossing); the
// browser sends both and the server must not pick one.
TEST(FindCookie, DuplicateNameIsRefused) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"__Host-writ-access=mine; __Host-writ-access=planted"}),
                       kAccessCookie),
            std::nullopt);
}

TEST(FindCookie, DuplicateAcrossHeadersIsRefused) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"__Secure-writ-refresh=mine", "__Secure-writ-refresh=planted"}),
                       kRefreshCookie),
            std::nullopt);
}

TEST(FindCookie, DuplicateOfAnotherNameDoesNotHideThisOne) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"x=1; x=2; a=ok"}), "a"), "ok");
}

TEST(FindCookie, QuotedValueIsRefused) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=\"quoted\""}), "a"), std::nullopt);
}

TEST(FindCookie, MalformedPairMakesEveryNameAbsent) {
  const char* const malformed[] = {
      "a=1; novalue",           // pair without '='
      "a=1; =v",                // empty name
      "a=1; b=has space",       // space inside a value
      "a=1; b=x,y",             // comma
      "a=1; b=back\\slash",     // backslash
      "a=1; b=\x01",            // control
      "a=1; b=caf\xc3\xa9",     // byte above 0x7E
      "a=1; na(me)=v",          // separator in the name
      "a=1;",                   // trailing ';'
      "a=1;; b=2",              // empty pair
  };
  for (const char* header : malformed) {
    EXPECT_EQ(FindCookie(WithCookieHeaders({header}), "a"), std::nullopt) << header;
  }
}

TEST(FindCookie, MalformedSecondHeaderMakesEveryNameAbsent) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=1", "b=\"q\""}), "a"), std::nullopt);
}

TEST(FindCookie, HeaderOver8KiBIsRefused) {
  const std::string big = "a=1; pad=" + std::string(4000, 'x') + "; pad2=" + std::string(4000, 'y') +
                          "; pad3=" + std::string(200, 'z');
  ASSERT_GT(big.size(), 8192u);
  EXPECT_EQ(FindCookie(WithCookieHeaders({big}), "a"), std::nullopt);
}

TEST(FindCookie, HeadersTogetherOver8KiBAreRefused) {
  const std::string half = "p=" + std::string(4095, 'x');
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=1", half, "q" + half}), "a"), std::nullopt);
}

TEST(FindCookie, HeaderOfExactly8KiBIsRead) {
  // Padding split over three cookies, each under kMaxCookieBytes.
  std::string header = "a=1; p=" + std::string(4000, 'x') + "; q=" + std::string(4000, 'y') + "; r=";
  header += std::string(8192 - header.size(), 'z');
  ASSERT_EQ(header.size(), 8192u);
  EXPECT_EQ(FindCookie(WithCookieHeaders({header}), "a"), "1");
}

TEST(FindCookie, CookieOverBrowserLimitIsRefused) {
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=" + std::string(kMaxCookieBytes, 'x')}), "a"), std::nullopt);
  EXPECT_EQ(FindCookie(WithCookieHeaders({"a=" + std::string(kMaxCookieBytes - 1, 'x')}), "a")->size(),
            kMaxCookieBytes - 1);
}

TEST(FindCookie, OtherHeadersAreIgnored) {
  HttpRequest request;
  request.headers.emplace_back("set-cookie", "a=planted");
  request.headers.emplace_back("x-cookie", "a=planted");
  EXPECT_EQ(FindCookie(request, "a"), std::nullopt);
}

}  // namespace
}  // namespace writ::server
