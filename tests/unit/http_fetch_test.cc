// CheckFetchUrl: which URLs a JWK Set may come from. HttpGet itself is exercised over
// real sockets by remote_key_set_test.cc and remote_key_set_attack_test.cc.
#include "core/http_fetch.h"

#include <gtest/gtest.h>

namespace writ::internal {
namespace {

TEST(CheckFetchUrl, HttpsIsAcceptedForAnyHost) {
  auto url = CheckFetchUrl("https://auth.example.com/.well-known/jwks.json", false);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->url, "https://auth.example.com/.well-known/jwks.json");
  EXPECT_TRUE(url->https);
  EXPECT_FALSE(url->loopback);
}

TEST(CheckFetchUrl, LoopbackHttpIsMarkedPlain) {
  for (const char* text : {"http://127.0.0.1:8080/jwks", "http://127.255.0.1/", "http://localhost/jwks",
                           "http://[::1]:9000/jwks"}) {
    auto url = CheckFetchUrl(text, true);
    ASSERT_TRUE(url) << text << ": " << url.error().detail;
    EXPECT_FALSE(url->https) << text;
    EXPECT_TRUE(url->loopback) << text;
  }
}

TEST(CheckFetchUrl, NumericHostsAreCheckedAsLibcurlNormalisesThem) {
  for (const char* text : {"http://127.1/jwks", "http://0x7f000001/jwks", "http://2130706433/jwks"}) {
    auto url = CheckFetchUrl(text, true);
    ASSERT_TRUE(url) << text << ": " << url.error().detail;
    EXPECT_EQ(url->url, "http://127.0.0.1/jwks") << text;
  }
  EXPECT_FALSE(CheckFetchUrl("http://0x0a000001/jwks", true));  // 10.0.0.1
}

TEST(CheckFetchUrl, LoopbackHttpsIsMarkedLoopback) {
  auto url = CheckFetchUrl("https://localhost:8443/jwks", false);
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->https);
  EXPECT_TRUE(url->loopback);
}

TEST(CheckFetchUrl, PlainHttpNeedsLoopbackAndPermission) {
  EXPECT_FALSE(CheckFetchUrl("http://127.0.0.1/jwks", false));
  EXPECT_FALSE(CheckFetchUrl("http://128.0.0.1/jwks", true));
  EXPECT_FALSE(CheckFetchUrl("http://126.255.255.255/jwks", true));
  EXPECT_FALSE(CheckFetchUrl("http://[::ffff:127.0.0.1]/jwks", true));
  EXPECT_FALSE(CheckFetchUrl("http://[fe80::1%25lo]/jwks", true));
}

TEST(CheckFetchUrl, UrlsOverTheLengthLimitAreRefused) {
  const std::string base = "https://auth.example.com/";
  EXPECT_TRUE(CheckFetchUrl(base + std::string(4096 - base.size(), 'a'), false));
  EXPECT_FALSE(CheckFetchUrl(base + std::string(4097 - base.size(), 'a'), false));
}

}  // namespace
}  // namespace writ::internal
