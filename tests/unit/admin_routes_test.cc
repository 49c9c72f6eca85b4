// The admin dashboard's data (GET /auth/admin/overview, /auth/admin/audit) through
// AuthHandler::Handle: only an enabled user whose STORED roles include admin gets it; the
// attacks it must show (a failed-login burst, throttling, a replayed refresh token) appear;
// session ids never leave the server; hostile filters are refused or match nothing.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "auth_handler_fixture.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;

constexpr const char* kPassword = "correct horse battery";

class AdminRoutesTest : public AuthHandlerTest {
 protected:
  void SetUp() override {
    AuthHandlerTest::SetUp();
    AddUser("root", kPassword);
    admin_id_ = (*services_.store->FindUserByName("root"))->id;
    ASSERT_TRUE(services_.store->SetRoles(admin_id_, {"user", "admin"}));
    AddUser("alice", kPassword);
  }

  HttpResponse GetAs(const HttpResponse& login, const std::string& path) {
    HttpRequest request = Get(path);
    WithCookies(request, Cookies(login));
    return handler_->Handle(request);
  }

  // As the admin, logged in once per test.
  HttpResponse AdminGet(const std::string& path) {
    if (!admin_login_) {
      admin_login_ = Login("root", kPassword);
    }
    return GetAs(*admin_login_, path);
  }

  simdjson::dom::element Parse(const HttpResponse& response) {
    auto parsed = parser_.parse(response.body);
    EXPECT_EQ(parsed.error(), simdjson::SUCCESS) << response.body;
    return parsed.value_unsafe();
  }

  std::int64_t Int(simdjson::dom::element element) {
    std::int64_t value = -1;
    EXPECT_EQ(element.get(value), simdjson::SUCCESS);
    return value;
  }

  // Sums one outcome over the chart's buckets.
  std::int64_t LoginsChart(simdjson::dom::element overview, std::string_view outcome) {
    std::int64_t total = 0;
    for (simdjson::dom::element bar : overview["logins"].get_array()) {
      total += Int(bar[outcome]);
    }
    return total;
  }

  std::int64_t admin_id_ = 0;
  std::optional<HttpResponse> admin_login_;
  simdjson::dom::parser parser_;
};

TEST_F(AdminRoutesTest, WithoutCookieIs401) {
  EXPECT_EQ(handler_->Handle(Get("/auth/admin/overview")).status, 401);
  EXPECT_EQ(handler_->Handle(Get("/auth/admin/audit")).status, 401);
}

TEST_F(AdminRoutesTest, ForgedAccessTokenIs401) {
  // A token signed with a key of the attacker's, claiming the admin's session.
  auto forged_key = Key::Generate(Alg::kEdDsa, "handler-test");
  ASSERT_TRUE(forged_key);
  ClaimsBuilder claims;
  claims.SetIssuer("https://auth.test").SetAudience("app").SetSubject(std::to_string(admin_id_))
      .SetIssuedAt(clock_->Now()).SetExpiresAt(clock_->Now() + std::chrono::minutes{5})
      .SetJwtId("forged").SetString("sid", "s").SetString("name", "root")
      .SetStringList("roles", {"admin"});
  auto signer = Signer::Create(*forged_key);
  ASSERT_TRUE(signer);
  SignOptions options;
  options.type = "at+jwt";
  auto jwt = signer->Sign(claims, options);
  ASSERT_TRUE(jwt);
  HttpRequest request = Get("/auth/admin/overview");
  WithCookies(request, {{std::string(kAccessCookie), *jwt}});
  EXPECT_EQ(handler_->Handle(request).status, 401);
}

TEST_F(AdminRoutesTest, NonAdminIsForbiddenAndAudited) {
  HttpResponse login = Login("alice", kPassword);
  ASSERT_EQ(login.status, 200);
  HttpResponse answer = GetAs(login, "/auth/admin/overview");
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.body.find("forbidden"), std::string::npos);
  EXPECT_EQ(GetAs(login, "/auth/admin/audit").status, 403);
  store::AuditQuery query;
  query.event = "token_rejected";
  auto records = services_.store->ListAudit(query);
  ASSERT_TRUE(records);
  ASSERT_FALSE(records->empty());
  EXPECT_EQ(records->front().reason, "not_admin");
  EXPECT_EQ(records->front().username, "alice");
}

TEST_F(AdminRoutesTest, AdminRoleTakenAwayStopsAccessAtOnce) {
  // The access token still names the admin role; the store no longer does.
  HttpResponse login = Login("root", kPassword);
  ASSERT_EQ(GetAs(login, "/auth/admin/overview").status, 200);
  ASSERT_TRUE(services_.store->SetRoles(admin_id_, {"user"}));
  EXPECT_EQ(GetAs(login, "/auth/admin/overview").status, 403);
}

TEST_F(AdminRoutesTest, DisabledAdminIsForbidden) {
  HttpResponse login = Login("root", kPassword);
  ASSERT_TRUE(services_.store->SetDisabled(admin_id_, true));
  EXPECT_EQ(GetAs(login, "/auth/admin/overview").status, 403);
}

TEST_F(AdminRoutesTest, OverviewShowsFailedLoginBurstAndThrottledAccount) {
  for (int i = 0; i < 12; ++i) {
    (void)Login("alice", "wrong password " + std::to_string(i));
  }
  HttpResponse answer = AdminGet("/auth/admin/overview?window=1h");
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::element overview = Parse(answer);
  EXPECT_EQ(overview["logins"].get_array().size(), 60u);  // one bar a minute
  EXPECT_GE(LoginsChart(overview, "failure"), 10);
  EXPECT_EQ(LoginsChart(overview, "success"), 1);  // the admin's own login
  bool alice_throttled = false;
  for (simdjson::dom::element entry : overview["throttled_accounts"].get_array()) {
    alice_throttled |= std::string_view(entry["value"].get_string()) == "alice";
  }
  EXPECT_TRUE(alice_throttled) << answer.body;
  EXPECT_EQ(overview["throttled_ips"].get_array().size(), 1u);
}

TEST_F(AdminRoutesTest, OverviewShowsReplayedRefreshTokenWithBothParties) {
  HttpResponse victim = Login("alice", kPassword);
  const auto stolen = Cookies(victim);
  ASSERT_EQ(Refresh(stolen).status, 200);  // the victim rotates
  clock_->Advance(std::chrono::seconds{60});  // past the grace window
  ASSERT_EQ(Refresh(stolen).status, 401);  // the thief replays the spent token
  HttpResponse answer = AdminGet("/auth/admin/overview");
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::element overview = Parse(answer);
  simdjson::dom::array alerts = overview["reuse_alerts"].get_array();
  ASSERT_EQ(alerts.size(), 1u) << answer.body;
  simdjson::dom::element alert = alerts.at(0).value_unsafe();
  EXPECT_EQ(std::string_view(alert["event"].get_string()), "refresh_reuse");
  EXPECT_EQ(Int(alert["user_id"]), (*services_.store->FindUserByName("alice"))->id);
  EXPECT_EQ(std::string_view(alert["detail"]["first_use_ip"].get_string()), "192.0.2.1");
}

TEST_F(AdminRoutesTest, OverviewCountsActiveSessionsAndNeverShowsSessionIds) {
  HttpResponse alice = Login("alice", kPassword);
  HttpResponse answer = AdminGet("/auth/admin/overview");
  ASSERT_EQ(answer.status, 200);
  simdjson::dom::element overview = Parse(answer);
  EXPECT_EQ(Int(overview["active_sessions"]["count"]), 2);
  EXPECT_EQ(overview["active_sessions"]["recent"].get_array().size(), 2u);
  auto sessions = services_.store->ListAllActiveSessions(clock_->Now(), 10);
  ASSERT_TRUE(sessions);
  for (const store::Session& session : *sessions) {
    EXPECT_EQ(answer.body.find(session.id), std::string::npos) << "a raw session id leaked";
    EXPECT_NE(answer.body.find(AuditLog::HashSessionId(session.id)), std::string::npos);
  }
  EXPECT_EQ(answer.Header("cache-control"), "no-store");
}

TEST_F(AdminRoutesTest, OverviewRefusesUnknownWindowAndUnsafeMethod) {
  EXPECT_EQ(AdminGet("/auth/admin/overview?window=10y").status, 400);
  EXPECT_EQ(AdminGet("/auth/admin/overview?window=1h&window=7d").status, 400);
  HttpResponse login = Login("root", kPassword);
  HttpRequest post = Post("/auth/admin/overview", "");
  WithCookies(post, Cookies(login));
  EXPECT_EQ(handler_->Handle(post).status, 405);
}

TEST_F(AdminRoutesTest, AuditFiltersByEventOutcomeUsernameAndIp) {
  (void)Login("alice", "wrong password");
  (void)Login("alice", kPassword);
  HttpResponse answer = AdminGet("/auth/admin/audit?event=login&outcome=failure&username=alice");
  ASSERT_EQ(answer.status, 200) << answer.body;
  simdjson::dom::array events = Parse(answer)["events"].get_array();
  ASSERT_EQ(events.size(), 1u) << answer.body;
  EXPECT_EQ(std::string_view(events.at(0)["reason"].get_string()), "bad_password");
  // Percent-encoded values decode; an IP nobody used matches nothing.
  EXPECT_EQ(Parse(AdminGet("/auth/admin/audit?username=%61lice&event=login"))["events"].get_array().size(), 2u);
  EXPECT_EQ(Parse(AdminGet("/auth/admin/audit?ip=203.0.113.9"))["events"].get_array().size(), 0u);
  EXPECT_EQ(Parse(AdminGet("/auth/admin/audit?event=login&limit=1"))["events"].get_array().size(), 1u);
}

TEST_F(AdminRoutesTest, AuditHostileFiltersAreRefusedOrMatchNothing) {
  (void)Login("alice", "wrong password");
  // SQL in a value is a value: bound, never spliced.
  HttpResponse injection = AdminGet("/auth/admin/audit?username=x%27%20OR%20%271%27%3D%271");
  ASSERT_EQ(injection.status, 200);
  EXPECT_EQ(Parse(injection)["events"].get_array().size(), 0u);
  for (const char* query : {"event=login%0Aadmin", "event=dropped_tables", "outcome=maybe",
                            "username=%ZZ", "username=a&username=b", "limit=0", "limit=501",
                            "limit=-1", "limit=1e3", "limit=", "window=forever",
                            "username=0123456789012345678901234567890123456789012345678901234567890123456789"}) {
    EXPECT_EQ(AdminGet(std::string("/auth/admin/audit?") + query).status, 400) << query;
  }
}

TEST_F(AdminRoutesTest, AuditShowsClientTextAsJsonTextOnly) {
  // A username full of markup and quotes is stored as submitted and comes back as a JSON
  // string that parses: the page puts it in with textContent.
  (void)Login("<img src=x onerror=alert(1)>", "wrong password");
  HttpResponse answer = AdminGet("/auth/admin/audit?event=login&outcome=failure");
  ASSERT_EQ(answer.status, 200);
  simdjson::dom::array events = Parse(answer)["events"].get_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(std::string_view(events.at(0)["username"].get_string()).find("<img"), std::string_view::npos);
}

}  // namespace
}  // namespace writ::server
