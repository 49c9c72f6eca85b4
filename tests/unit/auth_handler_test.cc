// The HTTP contract through AuthHandler::Handle, without sockets: a real in-memory SQLite
// store, a manual clock, real keys generated per test.
#include "server/auth_handler.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth_handler_fixture.h"
#include "server/metrics.h"
#include "writ/key_set.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;
using testing::kOrigin;

TEST_F(AuthHandlerTest, LoginSetsBothCookiesWithExactAttributes) {
  AddUser("alice", "correct horse battery");
  HttpResponse response = Login("alice", "correct horse battery");
  ASSERT_EQ(response.status, 200) << response.body;
  auto set_cookies = SetCookies(response);
  ASSERT_EQ(set_cookies.size(), 2u);
  auto jar = Cookies(response);
  EXPECT_EQ(set_cookies[0], "__Host-writ-access=" + jar["__Host-writ-access"] +
                                "; Path=/; Max-Age=900; Secure; HttpOnly; SameSite=Lax");
  EXPECT_EQ(set_cookies[1], "__Secure-writ-refresh=" + jar["__Secure-writ-refresh"] +
                                "; Path=/auth; Secure; HttpOnly; SameSite=Strict");
}

TEST_F(AuthHandlerTest, LoginBodyCarriesUserAndCsrfButNoToken) {
  AddUser("alice", "correct horse battery");
  HttpResponse response = Login("alice", "correct horse battery");
  auto jar = Cookies(response);
  EXPECT_NE(response.body.find("\"username\":\"alice\""), std::string::npos);
  EXPECT_NE(response.body.find("\"csrf_token\""), std::string::npos);
  EXPECT_EQ(response.body.find(jar["__Host-writ-access"]), std::string::npos);
  EXPECT_EQ(response.body.find(jar["__Secure-writ-refresh"]), std::string::npos);
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
}

TEST_F(AuthHandlerTest, RememberMeMakesRefreshCookiePersistent) {
  AddUser("alice", "correct horse battery");
  auto set_cookies = SetCookies(Login("alice", "correct horse battery", true));
  ASSERT_EQ(set_cookies.size(), 2u);
  EXPECT_NE(set_cookies[1].find("; Max-Age=2592000"), std::string::npos) << set_cookies[1];
}

TEST_F(AuthHandlerTest, UnknownUserAndWrongPasswordLookTheSame) {
  AddUser("alice", "correct horse battery");
  HttpResponse wrong = Login("alice", "wrong password!");
  HttpResponse unknown = Login("mallory", "wrong password!");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.body, "{\"error\":\"invalid_credentials\"}");
}

TEST_F(AuthHandlerTest, DisabledUserCannotLogIn) {
  AddUser("alice", "correct horse battery");
  auto user = services_.store->FindUserByName("alice");
  ASSERT_TRUE(services_.store->SetDisabled((*user)->id, true));
  EXPECT_EQ(Login("alice", "correct horse battery").status, 401);
}

TEST_F(AuthHandlerTest, TenFailuresLockTheAccountWithRetryAfter) {
  AddUser("alice", "correct horse battery");
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Login("alice", "wrong password!").status, 401) << i;
  }
  HttpResponse locked = Login("alice", "correct horse battery");
  EXPECT_EQ(locked.status, 429);
  ASSERT_TRUE(locked.Header("Retry-After"));
  EXPECT_GE(std::stoi(std::string(*locked.Header("Retry-After"))), 1);
}

TEST_F(AuthHandlerTest, AttackLoginCsrfFromForeignOriginIsRefused) {
  AddUser("alice", "correct horse battery");
  HttpRequest request = Post("/auth/login", R"({"username":"alice","password":"correct horse battery"})");
  request.headers = {{"content-type", "application/json"}, {"origin", "https://evil.test"},
                     {"sec-fetch-site", "cross-site"}};
  HttpResponse response = handler_->Handle(request);
  EXPECT_EQ(response.status, 403);
  EXPECT_TRUE(SetCookies(response).empty());
}

TEST_F(AuthHandlerTest, FormContentTypeIsRefused) {
  HttpRequest request = Post("/auth/login", "username=alice&password=x");
  request.headers[0].second = "application/x-www-form-urlencoded";
  EXPECT_EQ(handler_->Handle(request).status, 415);
}

TEST_F(AuthHandlerTest, DuplicateJsonMembersAreMalformed) {
  HttpResponse response = handler_->Handle(
      Post("/auth/login", R"({"username":"alice","username":"admin","password":"x"})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, "{\"error\":\"malformed_json\"}");
}

TEST_F(AuthHandlerTest, SessionAnswersFromTheCookieAlone) {
  AddUser("alice", "correct horse battery");
  HttpResponse login = Login("alice", "correct horse battery");
  HttpResponse session = Session(Cookies(login));
  ASSERT_EQ(session.status, 200);
  EXPECT_NE(session.body.find("\"expires_at\":"), std::string::npos);
  EXPECT_EQ(CsrfToken(session), CsrfToken(login));
}

TEST_F(AuthHandlerTest, RefreshRotatesAndOldTokenAfterGraceRevokesSession) {
  AddUser("alice", "correct horse battery");
  auto first = Cookies(Login("alice", "correct horse battery"));
  HttpResponse rotated = Refresh(first);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  auto second = Cookies(rotated);
  EXPECT_NE(second["__Secure-writ-refresh"], first["__Secure-writ-refresh"]);
  clock_->Advance(std::chrono::seconds{11});
  // The spent token comes back after the grace window: theft. The whole session ends.
  HttpResponse replay = Refresh(first);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(Refresh(second).status, 401);
  EXPECT_EQ(Session(second).status, 401);
  store::AuditQuery query;
  query.event = "refresh_reuse";
  query.limit = 10;
  auto events = services_.store->ListAudit(query);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

// Attack on the audit trail's fail-closed rule: a refresh whose audit record cannot be
// written hands out no token. The rotation is already committed, so the session ends; the
// client's retry with the token it holds is then a revoked session, never a theft alarm.
TEST_F(AuthHandlerTest, RefreshThatCannotBeAuditedEndsTheSessionWithoutATheftAlarm) {
  AddUser("alice", "correct horse battery");
  auto jar = Cookies(Login("alice", "correct horse battery"));
  auto full = AuditLog::Create("file:/dev/full", services_.store, clock_);  // every write ENOSPC
  ASSERT_TRUE(full) << full.error().detail;
  services_.audit = std::move(*full);
  services_.metrics = std::make_shared<Metrics>();
  handler_ = std::make_unique<AuthHandler>(services_);

  HttpResponse refused = Refresh(jar);
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("audit_unavailable"), std::string::npos);
  for (const std::string& cookie : SetCookies(refused)) {
    EXPECT_NE(cookie.find("=;"), std::string::npos) << "only clearing cookies: " << cookie;
  }
  EXPECT_NE(services_.metrics->Render(std::nullopt).find("writ_audit_failures_total 1\n"),
            std::string::npos);
  EXPECT_EQ(Session(jar).status, 401) << "the session's access token stops at once";

  services_.audit = std::move(*AuditLog::Create("none", services_.store, clock_));
  handler_ = std::make_unique<AuthHandler>(services_);
  clock_->Advance(std::chrono::seconds{11});  // past the grace window
  EXPECT_EQ(Refresh(jar).status, 401);
  store::AuditQuery query;
  query.event = "refresh_reuse";
  query.limit = 10;
  auto reuse = services_.store->ListAudit(query);
  ASSERT_TRUE(reuse);
  EXPECT_TRUE(reuse->empty()) << "a refused refresh is not theft";
  query.event = "token_rejected";
  auto rejected = services_.store->ListAudit(query);
  ASSERT_TRUE(rejected);
  EXPECT_TRUE(std::any_of(rejected->begin(), rejected->end(),
                          [](const store::AuditRecord& record) { return record.reason == "session_revoked"; }))
      << "the retry is audited as a revoked session's token";
}

TEST_F(AuthHandlerTest, TwoRefreshesWithinGraceBothStayLoggedIn) {
  AddUser("alice", "correct horse battery");
  auto jar = Cookies(Login("alice", "correct horse battery"));
  HttpResponse tab1 = Refresh(jar);
  HttpResponse tab2 = Refresh(jar);
  ASSERT_EQ(tab1.status, 200);
  ASSERT_EQ(tab2.status, 200);
  EXPECT_EQ(Session(Cookies(tab1)).status, 200);
  EXPECT_EQ(Session(Cookies(tab2)).status, 200);
  // The last answer holds the live chain.
  clock_->Advance(std::chrono::seconds{60});
  EXPECT_EQ(Refresh(Cookies(tab2)).status, 200);
}

TEST_F(AuthHandlerTest, LogoutNeedsCsrfTokenAndKillsAccessTokenAtOnce) {
  AddUser("alice", "correct horse battery");
  HttpResponse login = Login("alice", "correct horse battery");
  auto jar = Cookies(login);
  HttpRequest without = Post("/auth/logout", "");
  WithCookies(without, jar);
  EXPECT_EQ(handler_->Handle(without).status, 403);
  HttpRequest wrong = without;
  wrong.headers.emplace_back("x-csrf-token", std::string(43, 'A'));
  EXPECT_EQ(handler_->Handle(wrong).status, 403);
  HttpRequest logout = without;
  logout.headers.emplace_back("x-csrf-token", CsrfToken(login));
  HttpResponse done = handler_->Handle(logout);
  EXPECT_EQ(done.status, 204);
  auto cleared = SetCookies(done);
  ASSERT_EQ(cleared.size(), 2u);
  EXPECT_NE(cleared[0].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Session(jar).status, 401);
  EXPECT_EQ(Refresh(jar).status, 401);
}

TEST_F(AuthHandlerTest, LogoutAllEndsEverySession) {
  AddUser("alice", "correct horse battery");
  HttpResponse phone = Login("alice", "correct horse battery");
  HttpResponse laptop = Login("alice", "correct horse battery");
  HttpRequest logout = Post("/auth/logout-all", "");
  WithCookies(logout, Cookies(laptop));
  logout.headers.emplace_back("x-csrf-token", CsrfToken(laptop));
  EXPECT_EQ(handler_->Handle(logout).status, 204);
  EXPECT_EQ(Session(Cookies(phone)).status, 401);
  EXPECT_EQ(Refresh(Cookies(phone)).status, 401);
}

TEST_F(AuthHandlerTest, SignupCreatesUserAndRefusesCommonPassword) {
  HttpResponse created = handler_->Handle(
      Post("/auth/signup", R"({"username":"Bob","password":"a long enough passphrase"})"));
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find("\"username\":\"bob\""), std::string::npos);
  EXPECT_TRUE(SetCookies(created).empty());
  HttpResponse again = handler_->Handle(
      Post("/auth/signup", R"({"username":"bob","password":"another long passphrase"})"));
  EXPECT_EQ(again.status, 409);
  HttpResponse common = handler_->Handle(
      Post("/auth/signup", R"({"username":"carol","password":"password123"})"));
  EXPECT_EQ(common.status, 400);
}

// A signup whose audit record cannot be written is refused and leaves no account: the
// audit trail never misses an account that exists, and the retry can take the name.
TEST_F(AuthHandlerTest, SignupThatCannotBeAuditedLeavesNoAccount) {
  auto full = AuditLog::Create("file:/dev/full", services_.store, clock_);  // every write ENOSPC
  ASSERT_TRUE(full) << full.error().detail;
  services_.audit = std::move(*full);
  handler_ = std::make_unique<AuthHandler>(services_);
  const std::string body = R"({"username":"dora","password":"a long enough passphrase"})";
  HttpResponse refused = handler_->Handle(Post("/auth/signup", body));
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("audit_unavailable"), std::string::npos);
  EXPECT_FALSE(services_.store->FindUserByName("dora").value().has_value());

  services_.audit = std::move(*AuditLog::Create("none", services_.store, clock_));
  handler_ = std::make_unique<AuthHandler>(services_);
  EXPECT_EQ(handler_->Handle(Post("/auth/signup", body)).status, 201);
}

// Failed logins with an empty user name must not lock the account key that signup
// checks: one client could otherwise keep signup closed for everyone.
TEST_F(AuthHandlerTest, AttackEmptyNameLoginFailuresDoNotLockSignup) {
  for (int attempt = 0; attempt < 12; ++attempt) {
    HttpResponse failed = Login("", "wrong password " + std::to_string(attempt));
    EXPECT_TRUE(failed.status == 401 || failed.status == 429) << failed.status;
  }
  HttpResponse created = handler_->Handle(
      Post("/auth/signup", R"({"username":"dave","password":"a long enough passphrase"})"));
  EXPECT_EQ(created.status, 201) << created.body;
}

TEST_F(AuthHandlerTest, SignupCanBeDisabled) {
  signup_enabled_ = false;
  Build();
  HttpResponse response = handler_->Handle(
      Post("/auth/signup", R"({"username":"bob","password":"a long enough passphrase"})"));
  EXPECT_EQ(response.status, 404);
}

TEST_F(AuthHandlerTest, SecurityHeadersOnEveryResponse) {
  HttpResponse response = handler_->Handle(Get("/nowhere"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_NE(std::string(response.Header("Content-Security-Policy").value_or("")).find("frame-ancestors 'none'"),
            std::string::npos);
}

TEST_F(AuthHandlerTest, CorsEchoesOnlyAllowedOrigins) {
  HttpRequest allowed = Get("/healthz");
  allowed.headers.emplace_back("origin", std::string(kOrigin));
  HttpResponse ok = handler_->Handle(allowed);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), kOrigin);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Credentials"), "true");
  HttpRequest foreign = Get("/healthz");
  foreign.headers.emplace_back("origin", "https://evil.test");
  EXPECT_FALSE(handler_->Handle(foreign).Header("Access-Control-Allow-Origin"));
}

TEST_F(AuthHandlerTest, JwksIsPublicCacheableAndVerifiesOurTokens) {
  HttpResponse response = handler_->Handle(Get("/.well-known/jwks.json"));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type"), "application/jwk-set+json");
  EXPECT_EQ(response.Header("cache-control"), "public, max-age=600");
  ASSERT_TRUE(response.Header("etag"));
  EXPECT_EQ(response.body.find("\"d\""), std::string::npos) << "private member published";
  // A service holding only this document verifies the access cookie.
  auto set = KeySet::FromJwks(response.body);
  ASSERT_TRUE(set) << set.error().detail;
  auto verifier = Verifier::Create(*set);
  ASSERT_TRUE(verifier);
  AddUser("alice", "correct horse battery");
  HttpResponse login = Login("alice", "correct horse battery");
  ASSERT_EQ(login.status, 200);
  const std::string access = Cookies(login)["__Host-writ-access"];
  auto validator = ValidatorBuilder().ExpectAudience("app").SetClock(clock_).Build();
  EXPECT_TRUE(verifier->Verify(access, *validator));
}

TEST_F(AuthHandlerTest, JwksRevalidatesWithTheEtag) {
  HttpResponse first = handler_->Handle(Get("/.well-known/jwks.json"));
  HttpRequest again = Get("/.well-known/jwks.json");
  again.headers.emplace_back("if-none-match", std::string(*first.Header("etag")));
  HttpResponse response = handler_->Handle(again);
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(handler_->Handle(Post("/.well-known/jwks.json", "")).status, 405);
}

// A repeated ?aud= is ambiguous: refused as at /auth/verify, never answered with the main
// key set (a service that asked for its own scoped keys must not silently get others).
TEST_F(AuthHandlerTest, AttackJwksWithRepeatedAudienceIsRefused) {
  for (const char* target : {"/.well-known/jwks.json?aud=a&aud=b", "/.well-known/jwks.json?aud=&aud=",
                             "/.well-known/jwks.json?aud=a&x=1&aud=a"}) {
    HttpResponse response = handler_->Handle(Get(target));
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_NE(response.body.find("unknown_audience"), std::string::npos) << target;
  }
  EXPECT_EQ(handler_->Handle(Get("/.well-known/jwks.json?aud=nobody")).status, 404);
}

TEST_F(AuthHandlerTest, WrongMethodIs405) {
  EXPECT_EQ(handler_->Handle(Get("/auth/login")).status, 405);
}

// Hashing on its own pool, store and Redis work on another, and nothing that waits on
// either on the I/O threads (HttpHandler::Placement).
TEST_F(AuthHandlerTest, RoutesArePlacedByWhatTheyWaitOn) {
  using Placement = HttpHandler::Placement;
  EXPECT_EQ(handler_->PlacementOf(Post("/auth/login", "")), Placement::kHashing);
  EXPECT_EQ(handler_->PlacementOf(Post("/auth/signup", "")), Placement::kHashing);
  for (const char* path : {"/auth/refresh", "/auth/logout", "/auth/logout-all", "/auth/sessions/revoke"}) {
    EXPECT_EQ(handler_->PlacementOf(Post(path, "")), Placement::kStore) << path;
  }
  for (const char* path : {"/auth/sessions", "/readyz", "/metrics", "/auth/admin/overview", "/auth/admin/audit"}) {
    EXPECT_EQ(handler_->PlacementOf(Get(path)), Placement::kStore) << path;
  }
  for (const char* path : {"/auth/verify", "/auth/verify/api/x", "/auth/session", "/.well-known/jwks.json",
                           "/healthz", "/login", "/nowhere", "/auth/login"}) {  // GET login: 405
    EXPECT_EQ(handler_->PlacementOf(Get(path)), Placement::kInline) << path;
  }
  EXPECT_EQ(handler_->PlacementOf(Post("/auth/introspect", "")), Placement::kInline);
  HttpRequest preflight = Get("/auth/refresh");
  preflight.method = "OPTIONS";
  EXPECT_EQ(handler_->PlacementOf(preflight), Placement::kInline);
}

}  // namespace
}  // namespace writ::server
