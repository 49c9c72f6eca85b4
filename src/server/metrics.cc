#include "server/metrics.h"

#include <algorithm>
#include <cstdio>

namespace writ::server {
namespace {

constexpr std::size_t kMaxCodeChars = 64;

// A label value writ may print: a short code of [a-z0-9_] (or none). Anything else — a
// caller's mistake, never user input by design — becomes "other", so the page can never
// carry text a client chose, and never needs escaping.
std::string_view LabelCode(std::string_view value) {
  if (value.size() > kMaxCodeChars) {
    return "other";
  }
  for (char c : value) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return "other";
    }
  }
  return value;
}

// Audit events and the metric family each is counted in.
struct EventFamily {
  std::string_view event;
  std::string_view name;
  std::string_view help;
  bool by_outcome;
};

constexpr EventFamily kEventFamilies[] = {
    {"login", "writ_logins_total", "Login attempts by outcome and reason.", true},
    {"signup", "writ_signups_total", "Signup attempts by outcome and reason.", true},
    {"refresh", "writ_refreshes_total", "Refresh-token rotations by outcome.", true},
    {"refresh_reuse", "writ_refresh_reuse_total",
     "Spent refresh tokens presented again (token theft signal); each revoked its session.", false},
    {"throttled", "writ_throttled_total", "Login and signup attempts refused by the throttle.", false},
    {"csrf_rejected", "writ_csrf_rejections_total", "Requests refused by the CSRF defence.", false},
    {"token_rejected", "writ_token_rejections_total", "Access tokens and credentials refused.", false},
    {"logout", "writ_logouts_total", "Sessions ended by logout.", true},
    {"logout_all", "writ_logouts_all_total", "Log-outs of every session of a user.", true},
};

constexpr std::string_view kVerifyDecisionNames[kVerifyDecisionCount] = {
    "allow", "deny_no_token", "deny_invalid_token", "deny_csrf", "redirect_login", "error"};

void AppendNumber(std::string& out, std::uint64_t value) { out += std::to_string(value); }

void AppendSeconds(std::string& out, double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", seconds);
  out += buffer;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::string_view MetricsRouteName(MetricsRoute route) {
  static constexpr std::string_view kNames[kMetricsRouteCount] = {
      "signup", "login", "refresh", "logout", "session", "sessions", "verify",
      "introspect", "jwks", "pages", "admin", "health", "metrics", "other"};
  return kNames[static_cast<std::size_t>(route)];
}

void LatencyHistogram::Observe(std::chrono::nanoseconds elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const auto bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
  buckets_[static_cast<std::size_t>(bucket - kLatencyBuckets.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_nanoseconds_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(elapsed.count(), 0)),
                             std::memory_order_relaxed);
}

void LatencyHistogram::Render(std::string& out, std::string_view name, std::string_view labels) const {
  // Buckets are cumulative (le = "less than or equal"), ending with +Inf == _count.
  std::uint64_t cumulative = 0;
  const std::string prefix = std::string(labels) + (labels.empty() ? "" : ",");
  for (std::size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name;
    out += "_bucket{" + prefix + "le=\"";
    if (i < kLatencyBuckets.size()) {
      AppendSeconds(out, kLatencyBuckets[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} ";
    AppendNumber(out, cumulative);
    out += '\n';
  }
  const std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
  out += std::string(name) + "_sum" + braces + ' ';
  AppendSeconds(out, static_cast<double>(sum_nanoseconds_.load(std::memory_order_relaxed)) / 1e9);
  out += '\n';
  out += std::string(name) + "_count" + braces + ' ';
  // The +Inf bucket, not count_: the two are updated apart and must read equal.
  AppendNumber(out, cumulative);
  out += '\n';
}

void Metrics::CountEvent(std::string_view event, bool success, std::string_view reason) {
  EventKey key{std::string(LabelCode(event)), success, std::string(LabelCode(reason))};
  std::lock_guard lock(mutex_);
  auto found = events_.find(key);
  if (found != events_.end()) {
    ++found->second;
    return;
  }
  const auto family_size = std::count_if(events_.begin(), events_.end(),
                                         [&](const auto& entry) { return entry.first.event == key.event; });
  if (static_cast<std::size_t>(family_size) >= kMaxSeriesPerFamily) {
    key.reason = "other";
  }
  ++events_[key];
}

void Metrics::CountVerify(VerifyDecision decision, std::chrono::nanoseconds elapsed) {
  verify_decisions_[static_cast<std::size_t>(decision)].fetch_add(1, std::memory_order_relaxed);
  verify_latency_.Observe(elapsed);
}

void Metrics::ObserveRequest(MetricsRoute route, int status, std::chrono::nanoseconds elapsed) {
  const auto index = static_cast<std::size_t>(route);
  route_latency_[index].Observe(elapsed);
  const int status_class = std::clamp(status / 100, 1, 5) - 1;
  responses_[index][static_cast<std::size_t>(status_class)].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render(std::optional<std::int64_t> active_sessions) const {
  std::string out;
  out.reserve(16 * 1024);
  {
    std::lock_guard lock(mutex_);
    for (const EventFamily& family : kEventFamilies) {
      AppendHeader(out, family.name, "counter", family.help);
      for (const auto& [key, count] : events_) {
        if (key.event != family.event || !family.by_outcome) {
          continue;
        }
        out += family.name;
        out += "{outcome=\"";
        out += key.success ? "success" : "failure";
        out += "\",reason=\"" + key.reason + "\"} ";
        AppendNumber(out, count);
        out += '\n';
      }
      if (!family.by_outcome) {
        // Families without an outcome print by reason, and at 0 from the start so that
        // `increase(writ_refresh_reuse_total[5m]) > 0` alerts from the first event.
        bool any = false;
        for (const auto& [key, count] : events_) {
          if (key.event == family.event) {
            out += std::string(family.name) + "{reason=\"" + key.reason + "\"} ";
            AppendNumber(out, count);
            out += '\n';
            any = true;
          }
        }
        if (!any) {
          out += std::string(family.name) + " 0\n";
        }
      }
    }
  }

  AppendHeader(out, "writ_verify_decisions_total", "counter",
               "Forward-auth answers of GET /auth/verify by decision.");
  for (std::size_t i = 0; i < kVerifyDecisionCount; ++i) {
    out += "writ_verify_decisions_total{decision=\"";
    out += kVerifyDecisionNames[i];
    out += "\"} ";
    AppendNumber(out, verify_decisions_[i].load(std::memory_order_relaxed));
    out += '\n';
  }
  AppendHeader(out, "writ_verify_duration_seconds", "histogram",
               "Time to decide a forward-auth request (token check, CSRF, assertion).");
  verify_latency_.Render(out, "writ_verify_duration_seconds", "");

  AppendHeader(out, "writ_http_request_duration_seconds", "histogram",
               "Time to answer a request in the handler, by route.");
  for (std::size_t i = 0; i < kMetricsRouteCount; ++i) {
    const std::string labels = "route=\"" + std::string(MetricsRouteName(static_cast<MetricsRoute>(i))) + "\"";
    route_latency_[i].Render(out, "writ_http_request_duration_seconds", labels);
  }
  AppendHeader(out, "writ_http_responses_total", "counter", "Answers by route and status class.");
  for (std::size_t i = 0; i < kMetricsRouteCount; ++i) {
    for (std::size_t c = 0; c < 5; ++c) {
      const std::uint64_t count = responses_[i][c].load(std::memory_order_relaxed);
      if (count == 0) {
        continue;
      }
      out += "writ_http_responses_total{route=\"";
      out += MetricsRouteName(static_cast<MetricsRoute>(i));
      out += "\",code=\"" + std::to_string(c + 1) + "xx\"} ";
      AppendNumber(out, count);
      out += '\n';
    }
  }

  AppendHeader(out, "writ_audit_failures_total", "counter",
               "Audit records the sink could not take (grants refused 503 audit_unavailable, "
               "rejections left unrecorded).");
  out += "writ_audit_failures_total ";
  AppendNumber(out, audit_failures_.load(std::memory_order_relaxed));
  out += '\n';

  AppendHeader(out, "writ_store_up", "gauge", "1 when the store answered this scrape's query.");
  out += active_sessions ? "writ_store_up 1\n" : "writ_store_up 0\n";
  if (active_sessions) {
    AppendHeader(out, "writ_active_sessions", "gauge",
                 "Sessions neither revoked nor expired, over all users (the store's count).");
    out += "writ_active_sessions " + std::to_string(*active_sessions) + "\n";
  }
  return out;
}

}  // namespace writ::server
