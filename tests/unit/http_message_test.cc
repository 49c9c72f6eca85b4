#include "server/http_message.h"

#include <gtest/gtest.h>

namespace writ::server {
namespace {

TEST(HttpMessage, PathStopsAtQuery) {
  HttpRequest request;
  request.target = "/auth/login?next=%2F";
  EXPECT_EQ(request.Path(), "/auth/login");
  request.target = "/plain";
  EXPECT_EQ(request.Path(), "/plain");
}

TEST(HttpMessage, RequestHeaderFindsFirstAndCounts) {
  HttpRequest request;
  request.headers = {{"cookie", "a=1"}, {"host", "x"}, {"cookie", "b=2"}};
  EXPECT_EQ(request.Header("cookie"), "a=1");
  EXPECT_EQ(request.HeaderCount("cookie"), 2u);
  EXPECT_EQ(request.HeaderCount("origin"), 0u);
  EXPECT_FALSE(request.Header("origin").has_value());
}

TEST(HttpMessage, SetHeaderReplacesCaseInsensitivelyAndAddHeaderAppends) {
  HttpResponse response;
  response.AddHeader("Set-Cookie", "a=1").AddHeader("set-cookie", "b=2");
  response.SetHeader("X-Frame-Options", "SAMEORIGIN").SetHeader("x-frame-options", "DENY");
  EXPECT_EQ(response.headers.size(), 3u);
  EXPECT_EQ(response.Header("X-FRAME-OPTIONS"), "DENY");
  EXPECT_EQ(response.Header("set-cookie"), "a=1");
}

TEST(HttpMessage, JsonResponseSetsContentType) {
  const HttpResponse response = JsonResponse(201, R"({"ok":true})");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_TRUE(response.keep_alive);
}

TEST(HttpMessage, ErrorResponseEscapesItsCode) {
  EXPECT_EQ(ErrorResponse(401, "invalid_token").body, R"({"error":"invalid_token"})");
  EXPECT_EQ(ErrorResponse(400, "a\"b").body, R"({"error":"a\"b"})");
  EXPECT_EQ(ErrorResponse(400, "x").status, 400);
}

TEST(HttpMessageTest, DecodedQueryParamDecodesPercentAndPlus) {
  HttpRequest request;
  request.target = "/x?username=%61lice+b%2Bc&ip=192.0.2.1&empty=";
  EXPECT_EQ(request.DecodedQueryParam("username"), "alice b+c");
  EXPECT_EQ(request.DecodedQueryParam("ip"), "192.0.2.1");
  EXPECT_EQ(request.DecodedQueryParam("empty"), "");
  EXPECT_EQ(request.DecodedQueryParam("missing"), std::nullopt);
}

TEST(HttpMessageTest, DecodedQueryParamRefusesMalformedRepeatedAndControls) {
  for (const char* target : {"/x?u=%ZZ", "/x?u=%4", "/x?u=abc%", "/x?u=a&u=b", "/x?u=%0Aadmin",
                             "/x?u=%00", "/x?u=%7F", "/x?u=%0d%0aSet-Cookie:%20x"}) {
    HttpRequest request;
    request.target = target;
    EXPECT_EQ(request.DecodedQueryParam("u"), std::nullopt) << target;
  }
}

// RFC 3986 §2.5: a decoded value is UTF-8. Ill-formed bytes never reach a filter, a log line
// or a JSON answer.
TEST(HttpMessageTest, DecodedQueryParamRefusesIllFormedUtf8) {
  for (const char* target : {"/x?u=%FF", "/x?u=a%C3", "/x?u=%C0%80", "/x?u=%E0%80%80",
                             "/x?u=%ED%A0%80", "/x?u=%F4%90%80%80", "/x?u=%80", "/x?u=%C3%28"}) {
    HttpRequest request;
    request.target = target;
    EXPECT_EQ(request.DecodedQueryParam("u"), std::nullopt) << target;
  }
  HttpRequest request;
  request.target = "/x?u=%C3%A9l%C3%A8ve%F0%9F%94%91";
  EXPECT_EQ(request.DecodedQueryParam("u"), "\xc3\xa9l\xc3\xa8ve\xf0\x9f\x94\x91");
}

}  // namespace
}  // namespace writ::server
