// GET /metrics and writ::server::Metrics: the Prometheus text format (counters, cumulative
// histograms), the events the issue names counted as they happen, and the rule that no
// client-chosen text — a user name, a crafted reason — ever reaches a label.
#include <gtest/gtest.h>

#include "auth_handler_fixture.h"
#include "server/metrics.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;

constexpr const char* kPassword = "correct horse battery";

// The value of the sample line that starts with `series` (name and labels), or -1.
double Sample(const std::string& page, const std::string& series) {
  std::size_t at = 0;
  while ((at = page.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || page[at - 1] == '\n') {
      return std::stod(page.substr(at + series.size() + 1));
    }
    at += series.size();
  }
  return -1;
}

TEST(MetricsTest, CountsEventsByFamilyOutcomeAndReason) {
  Metrics metrics;
  metrics.CountEvent("login", false, "bad_password");
  metrics.CountEvent("login", false, "bad_password");
  metrics.CountEvent("login", true, "");
  metrics.CountEvent("refresh_reuse", false, "spent_token_presented");
  const std::string page = metrics.Render(3);
  EXPECT_EQ(Sample(page, R"(writ_logins_total{outcome="failure",reason="bad_password"})"), 2);
  EXPECT_EQ(Sample(page, R"(writ_logins_total{outcome="success",reason=""})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_refresh_reuse_total{reason="spent_token_presented"})"), 1);
  EXPECT_EQ(Sample(page, "writ_csrf_rejections_total"), 0);  // present at 0 before any event
  EXPECT_EQ(Sample(page, "writ_active_sessions"), 3);
  EXPECT_EQ(Sample(page, "writ_store_up"), 1);
  EXPECT_NE(page.find("# TYPE writ_logins_total counter\n"), std::string::npos);
}

TEST(MetricsTest, StoreDownLeavesTheGaugeOutInsteadOfReportingZero) {
  Metrics metrics;
  const std::string page = metrics.Render(std::nullopt);
  EXPECT_EQ(Sample(page, "writ_store_up"), 0);
  EXPECT_EQ(page.find("writ_active_sessions"), std::string::npos);
}

TEST(MetricsTest, ReasonsThatAreNotCodesBecomeOther) {
  Metrics metrics;
  metrics.CountEvent("login", false, "alice\"} 1\nwrit_fake_total 99");
  metrics.CountEvent("login", false, "Bad Password");
  metrics.CountEvent("login", false, std::string(65, 'a'));
  const std::string page = metrics.Render(0);
  EXPECT_EQ(Sample(page, R"(writ_logins_total{outcome="failure",reason="other"})"), 3);
  EXPECT_EQ(page.find("writ_fake_total"), std::string::npos);
  EXPECT_EQ(page.find("alice"), std::string::npos);
}

TEST(MetricsTest, SeriesPerFamilyAreCapped) {
  Metrics metrics;
  for (int i = 0; i < 1000; ++i) {
    metrics.CountEvent("throttled", false, "r" + std::to_string(i));
  }
  const std::string page = metrics.Render(0);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = page.find("\nwrit_throttled_total{", at)) != std::string::npos; ++at) {
    ++lines;
  }
  EXPECT_LE(lines, Metrics::kMaxSeriesPerFamily + 1);
  EXPECT_GT(Sample(page, R"(writ_throttled_total{reason="other"})"), 0);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndAtCount) {
  Metrics metrics;
  metrics.CountVerify(VerifyDecision::kAllow, std::chrono::microseconds{30});
  metrics.CountVerify(VerifyDecision::kAllow, std::chrono::microseconds{700});
  metrics.CountVerify(VerifyDecision::kDenyInvalid, std::chrono::seconds{3});
  const std::string page = metrics.Render(0);
  EXPECT_EQ(Sample(page, R"(writ_verify_duration_seconds_bucket{le="5e-05"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_verify_duration_seconds_bucket{le="0.001"})"), 2);
  EXPECT_EQ(Sample(page, R"(writ_verify_duration_seconds_bucket{le="1"})"), 2);
  EXPECT_EQ(Sample(page, R"(writ_verify_duration_seconds_bucket{le="+Inf"})"), 3);
  EXPECT_EQ(Sample(page, "writ_verify_duration_seconds_count"), 3);
  EXPECT_NEAR(Sample(page, "writ_verify_duration_seconds_sum"), 3.00073, 1e-6);
  EXPECT_EQ(Sample(page, R"(writ_verify_decisions_total{decision="allow"})"), 2);
  EXPECT_EQ(Sample(page, R"(writ_verify_decisions_total{decision="deny_invalid_token"})"), 1);
}

class MetricsPageTest : public AuthHandlerTest {
 protected:
  std::string Scrape() {
    HttpResponse page = handler_->Handle(Get("/metrics"));
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    return page.body;
  }
};

TEST_F(MetricsPageTest, CountsLoginsRefreshReuseCsrfAndVerifyAsTheyHappen) {
  AddUser("mallory-target", kPassword);
  (void)Login("mallory-target", "wrong");
  HttpResponse login = Login("mallory-target", kPassword);
  ASSERT_EQ(login.status, 200);
  const auto spent = Cookies(login);
  ASSERT_EQ(Refresh(spent).status, 200);
  clock_->Advance(std::chrono::seconds{60});
  ASSERT_EQ(Refresh(spent).status, 401);  // replayed: theft
  HttpRequest forged = Post("/auth/logout", "");
  forged.headers = {{"origin", "https://evil.test"}, {"sec-fetch-site", "cross-site"}};
  ASSERT_EQ(handler_->Handle(forged).status, 403);
  ASSERT_EQ(handler_->Handle(Get("/auth/verify")).status, 401);

  const std::string page = Scrape();
  EXPECT_EQ(Sample(page, R"(writ_logins_total{outcome="failure",reason="bad_password"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_logins_total{outcome="success",reason=""})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_refreshes_total{outcome="success",reason=""})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_refresh_reuse_total{reason="spent_token_presented"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_csrf_rejections_total{reason="cross_site"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_verify_decisions_total{decision="deny_no_token"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_http_responses_total{route="login",code="2xx"})"), 1);
  EXPECT_EQ(Sample(page, R"(writ_http_responses_total{route="login",code="4xx"})"), 1);
  EXPECT_EQ(Sample(page, "writ_active_sessions"), 0);  // the reuse revoked the only session
  // No user name and no session id in the page.
  EXPECT_EQ(page.find("mallory"), std::string::npos);
  EXPECT_EQ(page.find(spent.begin()->second), std::string::npos);
}

TEST_F(MetricsPageTest, ActiveSessionsGaugeFollowsTheStore) {
  AddUser("alice", kPassword);
  ASSERT_EQ(Login("alice", kPassword).status, 200);
  EXPECT_EQ(Sample(Scrape(), "writ_active_sessions"), 1);
}

TEST_F(MetricsPageTest, OnlyGetAndHead) {
  HttpResponse post = handler_->Handle(Post("/metrics", ""));
  EXPECT_EQ(post.status, 405);
  HttpRequest head = Get("/metrics");
  head.method = "HEAD";
  HttpResponse answer = handler_->Handle(head);
  EXPECT_EQ(answer.status, 200);
  EXPECT_TRUE(answer.body.empty());
}

}  // namespace
}  // namespace writ::server
