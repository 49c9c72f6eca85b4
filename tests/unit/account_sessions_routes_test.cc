// GET /auth/sessions and POST /auth/sessions/revoke through AuthHandler::Handle: the list
// shows only the caller's sessions; revoking needs CSRF and works only on one's own.
#include <gtest/gtest.h>

#include "auth_handler_fixture.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;

class AccountSessionsTest : public AuthHandlerTest {
 protected:
  HttpResponse List(const std::map<std::string, std::string>& jar) {
    HttpRequest request = Get("/auth/sessions");
    WithCookies(request, jar);
    return handler_->Handle(request);
  }

  HttpResponse Revoke(const HttpResponse& login, const std::string& session_id) {
    HttpRequest request = Post("/auth/sessions/revoke", "{\"session_id\":\"" + session_id + "\"}");
    WithCookies(request, Cookies(login));
    request.headers.emplace_back("x-csrf-token", CsrfToken(login));
    return handler_->Handle(request);
  }

  // The "id" of the first session in a list answer whose "current" is `current`.
  static std::string SessionId(const HttpResponse& list, bool current) {
    const std::string marker = std::string("\",\"current\":") + (current ? "true" : "false");
    const auto end = list.body.find(marker);
    if (end == std::string::npos) {
      return {};
    }
    const auto start = list.body.rfind("\"id\":\"", end);
    return list.body.substr(start + 6, end - start - 6);
  }
};

TEST_F(AccountSessionsTest, ListShowsOwnSessionsWithUserAgentAndCurrentMark) {
  AddUser("alice", "correct horse battery");
  AddUser("bob", "correct horse battery");
  HttpResponse phone = Login("alice", "correct horse battery");
  HttpResponse laptop = Login("alice", "correct horse battery");
  (void)Login("bob", "correct horse battery");
  HttpResponse list = List(Cookies(laptop));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Header("Cache-Control"), "no-store");
  EXPECT_NE(list.body.find("\"user_agent\":\"test-agent\""), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("\"last_used_at\":"), std::string::npos);
  // Two sessions of alice, one of them this one; bob's is not listed.
  EXPECT_EQ(SessionId(list, true).size(), SessionId(list, false).size());
  EXPECT_FALSE(SessionId(list, true).empty());
  EXPECT_NE(SessionId(list, true), SessionId(list, false));
  std::size_t entries = 0;
  for (auto at = list.body.find("\"id\":"); at != std::string::npos; at = list.body.find("\"id\":", at + 1)) {
    ++entries;
  }
  EXPECT_EQ(entries, 2u);
  EXPECT_EQ(SessionId(List(Cookies(phone)), true), SessionId(list, false));
}

// The user agent is stored as the client sent it; the list must still be valid UTF-8
// JSON (RFC 8259 §8.1) and show no bidirectional override to the account page.
TEST_F(AccountSessionsTest, AttackUserAgentWithInvalidUtf8AndBidiOverrideIsCleanedInTheList) {
  AddUser("alice", "correct horse battery");
  HttpRequest login = Post("/auth/login", R"({"username":"alice","password":"correct horse battery"})");
  for (auto& [name, value] : login.headers) {
    if (name == "user-agent") {
      value = "agent\xff\xfe\xe2\x80\xae-reversed";
    }
  }
  HttpResponse logged_in = handler_->Handle(login);
  ASSERT_EQ(logged_in.status, 200) << logged_in.body;
  HttpResponse list = List(Cookies(logged_in));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.body.find('\xff'), std::string::npos);
  EXPECT_EQ(list.body.find("\xe2\x80\xae"), std::string::npos);  // U+202E
  EXPECT_NE(list.body.find("agent\xef\xbf\xbd"), std::string::npos) << list.body;
}

TEST_F(AccountSessionsTest, ListNeedsAValidAccessCookie) {
  EXPECT_EQ(List({}).status, 401);
  EXPECT_EQ(List({{"__Host-writ-access", "not-a-token"}}).status, 401);
}

TEST_F(AccountSessionsTest, RevokeEndsAnotherOwnSessionAndKeepsThisOne) {
  AddUser("alice", "correct horse battery");
  HttpResponse phone = Login("alice", "correct horse battery");
  HttpResponse laptop = Login("alice", "correct horse battery");
  const std::string phone_id = SessionId(List(Cookies(laptop)), false);
  HttpResponse revoked = Revoke(laptop, phone_id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(SetCookies(revoked).empty()) << "another session's revocation keeps this one's cookies";
  EXPECT_EQ(Session(Cookies(phone)).status, 401);
  EXPECT_EQ(Refresh(Cookies(phone)).status, 401);
  EXPECT_EQ(Session(Cookies(laptop)).status, 200);
  EXPECT_TRUE(SessionId(List(Cookies(laptop)), false).empty());
}

TEST_F(AccountSessionsTest, RevokingTheCurrentSessionClearsItsCookies) {
  AddUser("alice", "correct horse battery");
  HttpResponse login = Login("alice", "correct horse battery");
  const std::string id = SessionId(List(Cookies(login)), true);
  HttpResponse revoked = Revoke(login, id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  ASSERT_EQ(SetCookies(revoked).size(), 2u);
  EXPECT_NE(SetCookies(revoked)[0].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Session(Cookies(login)).status, 401);
}

TEST_F(AccountSessionsTest, AttackRevokingAnotherUsersSessionIsNotFoundAndChangesNothing) {
  AddUser("alice", "correct horse battery");
  AddUser("mallory", "correct horse battery");
  HttpResponse alice = Login("alice", "correct horse battery");
  HttpResponse mallory = Login("mallory", "correct horse battery");
  const std::string alice_id = SessionId(List(Cookies(alice)), true);
  HttpResponse attack = Revoke(mallory, alice_id);
  EXPECT_EQ(attack.status, 404);
  EXPECT_EQ(attack.body, "{\"error\":\"session_not_found\"}");
  // Same answer as an id that does not exist: no oracle for valid ids.
  EXPECT_EQ(Revoke(mallory, std::string(alice_id.size(), 'A')).body, attack.body);
  EXPECT_EQ(Session(Cookies(alice)).status, 200);
  EXPECT_EQ(Refresh(Cookies(alice)).status, 200);
  EXPECT_EQ(Session(Cookies(mallory)).status, 200);
}

TEST_F(AccountSessionsTest, AttackRevokeWithoutCsrfTokenIsRefused) {
  AddUser("alice", "correct horse battery");
  HttpResponse phone = Login("alice", "correct horse battery");
  HttpResponse laptop = Login("alice", "correct horse battery");
  const std::string phone_id = SessionId(List(Cookies(laptop)), false);
  HttpRequest request = Post("/auth/sessions/revoke", "{\"session_id\":\"" + phone_id + "\"}");
  WithCookies(request, Cookies(laptop));
  EXPECT_EQ(handler_->Handle(request).status, 403);
  request.headers.emplace_back("x-csrf-token", CsrfToken(phone));  // another session's token
  EXPECT_EQ(handler_->Handle(request).status, 403);
  EXPECT_EQ(Session(Cookies(phone)).status, 200);
}

TEST_F(AccountSessionsTest, AttackCrossSiteRevokeIsRefusedEvenWithTheToken) {
  AddUser("alice", "correct horse battery");
  HttpResponse phone = Login("alice", "correct horse battery");
  HttpResponse laptop = Login("alice", "correct horse battery");
  const std::string phone_id = SessionId(List(Cookies(laptop)), false);
  HttpRequest request;
  request.method = "POST";
  request.target = "/auth/sessions/revoke";
  request.body = "{\"session_id\":\"" + phone_id + "\"}";
  request.headers = {{"content-type", "application/json"}, {"origin", "https://evil.test"},
                     {"sec-fetch-site", "cross-site"}, {"x-csrf-token", CsrfToken(laptop)}};
  WithCookies(request, Cookies(laptop));
  HttpResponse response = handler_->Handle(request);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "{\"error\":\"csrf_rejected\"}");
  EXPECT_EQ(Session(Cookies(phone)).status, 200);
}

TEST_F(AccountSessionsTest, RevokeBodyMustBeJsonWithASessionId) {
  AddUser("alice", "correct horse battery");
  HttpResponse login = Login("alice", "correct horse battery");
  const std::vector<std::string> bodies = {
      "", "{}", "{\"session_id\":1}", "{\"session_id\":\"\"}",
      "{\"session_id\":\"a\",\"session_id\":\"b\"}",
      "{\"session_id\":\"" + std::string(129, 'a') + "\"}"};
  for (const std::string& body : bodies) {
    HttpRequest request = Post("/auth/sessions/revoke", body);
    WithCookies(request, Cookies(login));
    request.headers.emplace_back("x-csrf-token", CsrfToken(login));
    EXPECT_EQ(handler_->Handle(request).status, 400) << body;
  }
  HttpRequest form = Post("/auth/sessions/revoke", "session_id=x");
  form.headers[0].second = "application/x-www-form-urlencoded";
  WithCookies(form, Cookies(login));
  form.headers.emplace_back("x-csrf-token", CsrfToken(login));
  EXPECT_EQ(handler_->Handle(form).status, 415);
  EXPECT_EQ(Session(Cookies(login)).status, 200);
}

TEST_F(AccountSessionsTest, WrongMethodsAre405) {
  EXPECT_EQ(handler_->Handle(Post("/auth/sessions", "")).status, 405);
  EXPECT_EQ(handler_->Handle(Get("/auth/sessions/revoke")).status, 405);
}

}  // namespace
}  // namespace writ::server
