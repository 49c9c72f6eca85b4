// The operators' views: GET /auth/admin/overview and GET /auth/admin/audit (the admin
// dashboard, web/admin.html; role `admin`), and GET /metrics (Prometheus).
//
// The admin views are read-only and drawn from the store's audit trail and sessions, so
// every instance shows the same picture. Session ids never leave the server: sessions are
// named by the hash the audit trail uses (AuditLog::HashSessionId), which is enough to
// follow one through the events and useless to ride it.
#include <algorithm>
#include <map>
#include <string>

#include "core/json_writer.h"
#include "core/strict_json.h"
#include "server/auth_handler.h"
#include "server/clean_text.h"
#include "server/cookies.h"

namespace writ::server {
namespace {

constexpr std::string_view kAdminRole = "admin";
constexpr std::size_t kMaxFilterBytes = 64;
constexpr std::int64_t kDefaultAuditLimit = 100;
constexpr std::int64_t kMaxAuditLimit = 500;
constexpr std::int64_t kReuseAlerts = 20;
constexpr std::int64_t kTopThrottled = 10;
constexpr std::int64_t kRecentSessions = 50;
// /metrics reads the store's session count at most this often.
constexpr auto kActiveSessionsMaxAge = std::chrono::seconds{5};

// A dashboard time window: how far back, and the width of one chart bar.
struct Window {
  std::string_view name;
  std::chrono::seconds span;
  std::chrono::seconds bucket;
};

constexpr Window kWindows[] = {
    {"1h", std::chrono::seconds{3600}, std::chrono::seconds{60}},
    {"24h", std::chrono::seconds{24 * 3600}, std::chrono::seconds{1800}},
    {"7d", std::chrono::seconds{7 * 24 * 3600}, std::chrono::seconds{6 * 3600}},
};

// ?window=1h|24h|7d (24h when absent); nullptr for anything else.
const Window* WindowOf(const HttpRequest& request) {
  if (request.QueryParamCount("window") == 0) {
    return &kWindows[1];
  }
  auto name = request.QueryParam("window");
  for (const Window& window : kWindows) {
    if (name && *name == window.name) {
      return &window;
    }
  }
  return nullptr;
}

// The first second of the window: whole buckets, the last one holding `now`, so the bars
// stay put between reloads.
Seconds WindowStart(const Window& window, Seconds now) {
  const std::int64_t bucket = window.bucket.count();
  const std::int64_t last = now.time_since_epoch().count() / bucket * bucket;
  return Seconds{std::chrono::seconds{last + bucket - window.span.count()}};
}

std::int64_t Epoch(Seconds time) { return time.time_since_epoch().count(); }

constexpr std::string_view kEventNames[] = {
    audit_event::kSignup,  audit_event::kLogin,     audit_event::kThrottled,
    audit_event::kRefresh, audit_event::kRefreshReuse, audit_event::kLogout,
    audit_event::kLogoutAll, audit_event::kCsrfRejected, audit_event::kTokenRejected,
};

void AppendAuditRecordJson(std::string& json, const store::AuditRecord& record) {
  json += "{\"id\":" + std::to_string(record.id) + ",\"time\":" + std::to_string(Epoch(record.time)) +
          ",\"event\":";
  internal::AppendJsonString(json, record.event);
  json += ",\"outcome\":";
  internal::AppendJsonString(json, record.outcome);
  json += ",\"reason\":";
  internal::AppendJsonString(json, CleanText(record.reason, kMaxFilterBytes));
  json += ",\"user_id\":";
  json += record.user_id ? std::to_string(*record.user_id) : "null";
  json += ",\"username\":";
  internal::AppendJsonString(json, CleanText(record.username, kMaxFilterBytes));
  json += ",\"ip\":";
  internal::AppendJsonString(json, CleanText(record.ip, kMaxFilterBytes));
  json += ",\"user_agent\":";
  internal::AppendJsonString(json, CleanText(record.user_agent, kMaxUserAgentBytes));
  json += ",\"request_id\":";
  internal::AppendJsonString(json, CleanText(record.request_id, 128));
  json += ",\"session\":";
  internal::AppendJsonString(json, record.session_hash);
  // AuditLog only stores strict JSON objects; anything else (a hand-edited store) is
  // shown as {} rather than spliced into this answer.
  json += ",\"detail\":";
  internal::JsonLimits limits;
  limits.max_bytes = 4096;
  limits.max_depth = 4;
  json += internal::ParseStrictObject(record.detail_json, limits) ? record.detail_json : "{}";
  json += "}";
}

void AppendTopJson(std::string& json, const std::vector<store::AuditTop>& top) {
  json += '[';
  for (std::size_t i = 0; i < top.size(); ++i) {
    json += i > 0 ? ",{\"value\":" : "{\"value\":";
    internal::AppendJsonString(json, CleanText(top[i].value, kMaxFilterBytes));
    json += ",\"count\":" + std::to_string(top[i].count) +
            ",\"last_seen\":" + std::to_string(Epoch(top[i].last_seen)) + "}";
  }
  json += ']';
}

// [{"t":…,"success":…,"failure":…}, …]: one entry per bucket of the window, zeros included.
void AppendSeriesJson(std::string& json, const std::vector<store::AuditCount>& counts,
                      const Window& window, Seconds since) {
  const std::size_t buckets = static_cast<std::size_t>(window.span / window.bucket);
  std::vector<std::pair<std::int64_t, std::int64_t>> bars(buckets);
  for (const store::AuditCount& count : counts) {
    const auto index = static_cast<std::size_t>((count.bucket_start - since) / window.bucket);
    if (index < buckets) {
      (count.outcome == "success" ? bars[index].first : bars[index].second) += count.count;
    }
  }
  json += '[';
  for (std::size_t i = 0; i < buckets; ++i) {
    json += i > 0 ? ",{\"t\":" : "{\"t\":";
    json += std::to_string(Epoch(since) + static_cast<std::int64_t>(i) * window.bucket.count());
    json += ",\"success\":" + std::to_string(bars[i].first) +
            ",\"failure\":" + std::to_string(bars[i].second) + "}";
  }
  json += ']';
}

// Sessions and session events (refresh, refresh_reuse, logout) name the user by id only;
// the dashboard shows names, looked up once per user per answer ("" for a deleted user).
class UsernameCache {
 public:
  explicit UsernameCache(store::Store& store) : store_(store) {}

  const std::string& Of(std::int64_t user_id) {
    auto name = names_.find(user_id);
    if (name == names_.end()) {
      auto user = store_.FindUserById(user_id);
      name = names_.emplace(user_id, user && user->has_value() ? (*user)->username : "").first;
    }
    return name->second;
  }

  // `record`, with the user's name filled in when it has only the id.
  store::AuditRecord& Named(store::AuditRecord& record) {
    if (record.username.empty() && record.user_id) {
      record.username = Of(*record.user_id);
    }
    return record;
  }

 private:
  store::Store& store_;
  std::map<std::int64_t, std::string> names_;
};

}  // namespace

std::optional<HttpResponse> AuthHandler::RequireAdmin(const RequestInfo& info, AccessClaims& claims) {
  // Read-only GETs: the access cookie alone, like GET /auth/sessions; cross-origin pages
  // cannot read the answers (CORS opens them to allowed_origins only).
  auto token = FindCookie(info.request, kAccessCookie);
  if (!token) {
    return ErrorResponse(401, "invalid_token");
  }
  auto checked = services_.access_tokens->Check(*token);
  if (!checked) {
    (void)Audit(info, Event(info, audit_event::kTokenRejected, false,
                            std::string(ErrorCodeName(checked.error().code))));
    return ErrorResponse(401, "invalid_token");
  }
  claims = std::move(*checked);
  // The stored roles, not the token's: taking admin away (writ users roles) or disabling the
  // account takes effect at once, not when the access token expires.
  auto user = services_.store->FindUserById(claims.user_id);
  if (!user) {
    return ErrorResponse(503, "store_unavailable");
  }
  const bool admin = user->has_value() && !(*user)->disabled &&
                     std::find((*user)->roles.begin(), (*user)->roles.end(), kAdminRole) !=
                         (*user)->roles.end();
  if (!admin) {
    AuditEvent event = Event(info, audit_event::kTokenRejected, false, "not_admin");
    event.user_id = claims.user_id;
    event.username = claims.username;
    event.session_id = claims.session_id;
    (void)Audit(info, std::move(event));
    return ErrorResponse(403, "forbidden");
  }
  return std::nullopt;
}

HttpResponse AuthHandler::AdminOverview(const RequestInfo& info) {
  AccessClaims claims;
  if (auto refused = RequireAdmin(info, claims)) {
    return *refused;
  }
  const Window* window = WindowOf(info.request);
  if (window == nullptr) {
    return ErrorResponse(400, "invalid_window");
  }
  store::Store& store = *services_.store;
  const Seconds now = services_.clock->Now();
  const Seconds since = WindowStart(*window, now);
  auto logins = store.CountAudit({std::string(audit_event::kLogin), since, window->bucket});
  auto throttled_ips = store.TopAudit({std::string(audit_event::kThrottled), since,
                                       store::AuditField::kIp, kTopThrottled});
  auto throttled_accounts = store.TopAudit({std::string(audit_event::kThrottled), since,
                                            store::AuditField::kUsername, kTopThrottled});
  store::AuditQuery reuse_query;
  reuse_query.event = std::string(audit_event::kRefreshReuse);
  reuse_query.since = since;
  reuse_query.limit = kReuseAlerts;
  auto reuse = store.ListAudit(reuse_query);
  auto active_count = store.CountActiveSessions(now);
  auto recent_sessions = store.ListAllActiveSessions(now, kRecentSessions);
  if (!logins || !throttled_ips || !throttled_accounts || !reuse || !active_count || !recent_sessions) {
    return ErrorResponse(503, "store_unavailable");
  }
  std::string body = "{\"now\":" + std::to_string(Epoch(now)) + ",\"window\":\"" +
                     std::string(window->name) + "\",\"since\":" + std::to_string(Epoch(since)) +
                     ",\"bucket_seconds\":" + std::to_string(window->bucket.count()) + ",\"logins\":";
  AppendSeriesJson(body, *logins, *window, since);
  body += ",\"throttled_ips\":";
  AppendTopJson(body, *throttled_ips);
  body += ",\"throttled_accounts\":";
  AppendTopJson(body, *throttled_accounts);
  UsernameCache usernames(store);
  body += ",\"reuse_alerts\":[";
  for (std::size_t i = 0; i < reuse->size(); ++i) {
    body += i > 0 ? "," : "";
    AppendAuditRecordJson(body, usernames.Named((*reuse)[i]));
  }
  body += "],\"active_sessions\":{\"count\":" + std::to_string(*active_count) + ",\"recent\":[";
  for (std::size_t i = 0; i < recent_sessions->size(); ++i) {
    const store::Session& session = (*recent_sessions)[i];
    body += i > 0 ? ",{\"session\":" : "{\"session\":";
    internal::AppendJsonString(body, AuditLog::HashSessionId(session.id));
    body += ",\"user_id\":" + std::to_string(session.user_id) + ",\"username\":";
    internal::AppendJsonString(body, CleanText(usernames.Of(session.user_id), kMaxFilterBytes));
    body += ",\"created_at\":" + std::to_string(Epoch(session.created_at)) +
            ",\"last_used_at\":" + std::to_string(Epoch(session.last_used_at)) +
            ",\"expires_at\":" +
            std::to_string(Epoch(std::min(session.idle_expires_at, session.absolute_expires_at))) +
            ",\"remember\":" + (session.remember ? "true" : "false") + ",\"ip\":";
    internal::AppendJsonString(body, CleanText(session.ip, kMaxFilterBytes));
    body += ",\"user_agent\":";
    internal::AppendJsonString(body, CleanText(session.user_agent, kMaxUserAgentBytes));
    body += "}";
  }
  body += "]}}";
  return JsonResponse(200, std::move(body));
}

HttpResponse AuthHandler::AdminAudit(const RequestInfo& info) {
  AccessClaims claims;
  if (auto refused = RequireAdmin(info, claims)) {
    return *refused;
  }
  const HttpRequest& request = info.request;
  const Window* window = WindowOf(request);
  if (window == nullptr) {
    return ErrorResponse(400, "invalid_window");
  }
  store::AuditQuery query;
  query.since = services_.clock->Now() - window->span;
  query.limit = kDefaultAuditLimit;
  // Every filter: absent, or exactly one well-formed value (a repeated or undecodable one
  // is refused rather than guessed at).
  for (auto [name, slot] : {std::pair{"event", &query.event}, std::pair{"outcome", &query.outcome},
                            std::pair{"username", &query.username}, std::pair{"ip", &query.ip}}) {
    if (request.QueryParamCount(name) == 0) {
      continue;
    }
    auto value = request.DecodedQueryParam(name);
    if (!value || value->size() > kMaxFilterBytes) {
      return ErrorResponse(400, "invalid_filter");
    }
    if (!value->empty()) {
      *slot = std::move(*value);
    }
  }
  if (query.event && std::find(std::begin(kEventNames), std::end(kEventNames), *query.event) ==
                         std::end(kEventNames)) {
    return ErrorResponse(400, "invalid_filter");
  }
  if (query.outcome && *query.outcome != "success" && *query.outcome != "failure") {
    return ErrorResponse(400, "invalid_filter");
  }
  if (request.QueryParamCount("limit") > 0) {
    auto limit = request.QueryParam("limit");
    std::int64_t parsed = 0;
    if (!limit || limit->empty() || limit->size() > 3 ||
        !std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return ErrorResponse(400, "invalid_filter");
    }
    for (char c : *limit) {
      parsed = parsed * 10 + (c - '0');
    }
    if (parsed < 1 || parsed > kMaxAuditLimit) {
      return ErrorResponse(400, "invalid_filter");
    }
    query.limit = parsed;
  }
  auto records = services_.store->ListAudit(query);
  if (!records) {
    return ErrorResponse(503, "store_unavailable");
  }
  UsernameCache usernames(*services_.store);
  std::string body = "{\"events\":[";
  for (std::size_t i = 0; i < records->size(); ++i) {
    body += i > 0 ? "," : "";
    AppendAuditRecordJson(body, usernames.Named((*records)[i]));
  }
  body += "]}";
  return JsonResponse(200, std::move(body));
}

HttpResponse AuthHandler::MetricsPage(const RequestInfo& info) {
  std::optional<std::int64_t> active;
  {
    std::lock_guard lock(active_sessions_mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (active_sessions_read_ == std::chrono::steady_clock::time_point{} ||
        now - active_sessions_read_ >= kActiveSessionsMaxAge) {
      auto counted = services_.store->CountActiveSessions(services_.clock->Now());
      active_sessions_ = counted ? std::optional<std::int64_t>(*counted) : std::nullopt;
      active_sessions_read_ = now;
    }
    active = active_sessions_;
  }
  HttpResponse response;
  response.status = 200;
  // The text exposition format, version 0.0.4.
  response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  if (info.request.method != "HEAD") {
    response.body = services_.metrics->Render(active);
  }
  return response;
}

}  // namespace writ::server
