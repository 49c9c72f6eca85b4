// writ::server::Metrics: what `GET /metrics` tells Prometheus — authentication events by
// outcome, forward-auth decisions, request latencies — in the text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Counters live in this process (each instance is scraped on its own, as Prometheus
// expects). Label values are only ever codes chosen by writ — event names, outcomes,
// reason codes, route names — never a user name, an IP, a token or a secret; a reason that
// is not a short [a-z0-9_] code is counted as "other", and each family holds at most
// kMaxSeriesPerFamily label sets, so no input can grow the page.
#ifndef WRIT_SERVER_METRICS_H_
#define WRIT_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace writ::server {

// Upper bounds (seconds) of the latency histograms' buckets, +Inf implied: from the 50 µs
// of a cached verify to the ~100 ms of an Argon2id login.
inline constexpr std::array<double, 14> kLatencyBuckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
    0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0};

// A latency histogram; lock-free, thread-safe.
class LatencyHistogram {
 public:
  void Observe(std::chrono::nanoseconds elapsed);
  // Appends the _bucket/_sum/_count lines of `name` with `labels` ("" or `key="value",…`).
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_nanoseconds_{0};
};

// The route a request is timed under (a fixed set, so the label cannot grow).
enum class MetricsRoute {
  kSignup, kLogin, kRefresh, kLogout, kSession, kSessions, kVerify, kIntrospect,
  kJwks, kPages, kAdmin, kHealth, kMetrics, kOther,
};
inline constexpr std::size_t kMetricsRouteCount = static_cast<std::size_t>(MetricsRoute::kOther) + 1;
std::string_view MetricsRouteName(MetricsRoute route);

// A forward-auth answer (GET /auth/verify).
enum class VerifyDecision { kAllow, kDenyNoToken, kDenyInvalid, kDenyCsrf, kRedirect, kError };
inline constexpr std::size_t kVerifyDecisionCount = static_cast<std::size_t>(VerifyDecision::kError) + 1;

// Thread-safe.
class Metrics {
 public:
  static constexpr std::size_t kMaxSeriesPerFamily = 256;

  // One audit event (AuditLog calls it for every event it records): counted in the family
  // of its name (writ_logins_total, writ_refreshes_total, writ_refresh_reuse_total,
  // writ_throttled_total, writ_csrf_rejections_total, …) by outcome and reason.
  void CountEvent(std::string_view event, bool success, std::string_view reason);
  void CountVerify(VerifyDecision decision, std::chrono::nanoseconds elapsed);
  // Every HTTP answer of the handler: latency by route, count by route and status class.
  void ObserveRequest(MetricsRoute route, int status, std::chrono::nanoseconds elapsed);
  // An audit record the sink could not take (writ_audit_failures_total): a grant was
  // refused for it, or a rejection went unrecorded. Returns the new total.
  std::uint64_t CountAuditFailure() {
    return audit_failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  }

  // The whole page. `active_sessions` is the store's count (absent when the store did not
  // answer: writ_store_up is then 0 and the gauge is left out rather than reported wrong).
  std::string Render(std::optional<std::int64_t> active_sessions) const;

 private:
  struct EventKey {
    std::string event;
    bool success;
    std::string reason;
    auto operator<=>(const EventKey&) const = default;
  };
  mutable std::mutex mutex_;
  std::map<EventKey, std::uint64_t> events_;  // guarded by mutex_

  std::atomic<std::uint64_t> audit_failures_{0};
  std::array<std::atomic<std::uint64_t>, kVerifyDecisionCount> verify_decisions_{};
  LatencyHistogram verify_latency_;
  std::array<LatencyHistogram, kMetricsRouteCount> route_latency_;
  // [route][status class 1xx..5xx → 0..4]
  std::array<std::array<std::atomic<std::uint64_t>, 5>, kMetricsRouteCount> responses_{};
};

}  // namespace writ::server

#endif  // WRIT_SERVER_METRICS_H_
