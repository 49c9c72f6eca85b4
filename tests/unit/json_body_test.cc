#include "server/json_body.h"

#include <gtest/gtest.h>

namespace writ::server {
namespace {

HttpRequest JsonPost(std::string body, std::string content_type = "application/json") {
  HttpRequest request;
  request.method = "POST";
  request.target = "/auth/login";
  request.headers = {{"content-type", std::move(content_type)}};
  request.body = std::move(body);
  return request;
}

TEST(ParseCredentials, ReadsAllMembers) {
  Credentials credentials;
  BodyError error;
  ASSERT_TRUE(ParseCredentials(JsonPost(R"({"username":"a","password":"b","remember":true})"),
                               credentials, error));
  EXPECT_EQ(credentials.username, "a");
  EXPECT_EQ(credentials.password, "b");
  EXPECT_TRUE(credentials.remember);
}

TEST(ParseCredentials, CharsetParameterIsAccepted) {
  Credentials credentials;
  BodyError error;
  EXPECT_TRUE(ParseCredentials(JsonPost(R"({"username":"a","password":"b"})", "Application/JSON; charset=utf-8"),
                               credentials, error));
}

TEST(ParseCredentials, OtherContentTypesAre415) {
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                           "application/jsonx", ""}) {
    Credentials credentials;
    BodyError error;
    EXPECT_FALSE(ParseCredentials(JsonPost(R"({"username":"a","password":"b"})", type), credentials, error));
    EXPECT_EQ(error.status, 415) << type;
  }
}

TEST(ParseCredentials, TwoContentTypeHeadersAre415) {
  HttpRequest request = JsonPost(R"({"username":"a","password":"b"})");
  request.headers.emplace_back("content-type", "text/plain");
  Credentials credentials;
  BodyError error;
  EXPECT_FALSE(ParseCredentials(request, credentials, error));
  EXPECT_EQ(error.status, 415);
}

TEST(ParseCredentials, MalformedBodiesAre400) {
  for (std::string body : {"", "[]", "{", R"({"username":"a","username":"b","password":"c"})",
                           "{\"username\":\"\xff\",\"password\":\"c\"}", R"({"username":"a","password":"b"} x)",
                           R"({"a":{"b":{"c":{"d":{"e":{}}}}},"username":"a","password":"b"})"}) {
    Credentials credentials;
    BodyError error;
    EXPECT_FALSE(ParseCredentials(JsonPost(body), credentials, error)) << body;
    EXPECT_EQ(error.status, 400) << body;
    EXPECT_EQ(error.code, "malformed_json") << body;
  }
}

TEST(ParseCredentials, WrongMemberTypesAreInvalidRequest) {
  for (std::string body : {R"({"username":1,"password":"b"})", R"({"username":"a"})",
                           R"({"username":"a","password":"b","remember":"yes"})"}) {
    Credentials credentials;
    BodyError error;
    EXPECT_FALSE(ParseCredentials(JsonPost(body), credentials, error)) << body;
    EXPECT_EQ(error.code, "invalid_request") << body;
  }
}

TEST(NormalizeUsername, LowerCasesAndRestrictsCharacters) {
  EXPECT_EQ(NormalizeUsername("Alice.Smith@Example"), "alice.smith@example");
  EXPECT_EQ(NormalizeUsername(""), "");
  EXPECT_EQ(NormalizeUsername(std::string(65, 'a')), "");
  EXPECT_EQ(NormalizeUsername(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(NormalizeUsername("al ice"), "");
  EXPECT_EQ(NormalizeUsername("admin\n"), "");
  EXPECT_EQ(NormalizeUsername("\xc3\xa4"), "");  // no Unicode look-alikes
}

}  // namespace
}  // namespace writ::server
