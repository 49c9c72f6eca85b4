#include "server/auth_handler.h"

#include "core/json_writer.h"
#include "server/client_ip.h"
#include "server/cookies.h"
#include "server/random_id.h"

namespace writ::server {
namespace {

constexpr std::size_t kMaxUserAgentBytes = 256;

bool IsRoute(const RequestInfo& info, std::string_view path) { return info.request.Path() == path; }

}  // namespace

std::string UserJson(std::int64_t id, std::string_view username, const std::vector<std::string>& roles) {
  std::string json = "{\"id\":" + std::to_string(id) + ",\"username\":";
  internal::AppendJsonString(json, username);
  json += ",\"roles\":[";
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) {
      json += ',';
    }
    internal::AppendJsonString(json, roles[i]);
  }
  json += "]}";
  return json;
}

bool AuthHandler::IsBlocking(const HttpRequest& request) const {
  std::string_view path = request.Path();
  return request.method == "POST" && (path == "/auth/login" || path == "/auth/signup");
}

HttpResponse AuthHandler::Handle(const HttpRequest& request) {
  std::string user_agent(request.Header("user-agent").value_or(""));
  if (user_agent.size() > kMaxUserAgentBytes) {
    user_agent.resize(kMaxUserAgentBytes);
  }
  RequestInfo info{request, ClientIp(request, services_.config->trusted_proxies),
                   std::move(user_agent), RandomId(12)};
  HttpResponse response = Route(info);
  AddCommonHeaders(info, response);
  return response;
}

HttpResponse AuthHandler::Route(const RequestInfo& info) {
  const std::string& method = info.request.method;
  if (method == "OPTIONS") {
    return Preflight(info);
  }
  struct Endpoint {
    std::string_view path;
    std::string_view method;
    HttpResponse (AuthHandler::*handle)(const RequestInfo&);
  };
  static constexpr Endpoint kEndpoints[] = {
      {"/auth/signup", "POST", &AuthHandler::Signup},
      {"/auth/login", "POST", &AuthHandler::Login},
      {"/auth/refresh", "POST", &AuthHandler::Refresh},
      {"/auth/logout", "POST", &AuthHandler::Logout},
      {"/auth/logout-all", "POST", &AuthHandler::LogoutAll},
      {"/auth/session", "GET", &AuthHandler::Session},
  };
  for (const Endpoint& endpoint : kEndpoints) {
    if (IsRoute(info, endpoint.path)) {
      if (method != endpoint.method) {
        HttpResponse response = ErrorResponse(405, "method_not_allowed");
        response.SetHeader("Allow", std::string(endpoint.method));
        return response;
      }
      return (this->*endpoint.handle)(info);
    }
  }
  if ((IsRoute(info, "/healthz") || IsRoute(info, "/readyz")) && method != "GET" && method != "HEAD") {
    HttpResponse response = ErrorResponse(405, "method_not_allowed");
    response.SetHeader("Allow", "GET, HEAD");
    return response;
  }
  if (IsRoute(info, "/healthz")) {
    return JsonResponse(200, "{\"status\":\"ok\"}");
  }
  if (IsRoute(info, "/readyz")) {
    // Ready only when the store answers: a server that cannot check must not take traffic.
    return services_.store->Ping() ? JsonResponse(200, "{\"status\":\"ready\"}")
                                   : ErrorResponse(503, "store_unavailable");
  }
  return ErrorResponse(404, "not_found");
}

HttpResponse AuthHandler::Preflight(const RequestInfo& info) const {
  // CORS preflight (Fetch standard §3.2.2) for an allowed frontend origin only.
  auto origin = info.request.Header("origin");
  if (!origin || !services_.csrf->IsAllowedOrigin(*origin)) {
    return ErrorResponse(403, "origin_not_allowed");
  }
  HttpResponse response;
  response.status = 204;
  response.SetHeader("Access-Control-Allow-Methods", "GET, POST");
  response.SetHeader("Access-Control-Allow-Headers", "Content-Type, X-CSRF-Token");
  response.SetHeader("Access-Control-Max-Age", "600");
  return response;
}

void AuthHandler::AddCommonHeaders(const RequestInfo& info, HttpResponse& response) const {
  // Auth answers are per user: never stored by any cache (RFC 9111 §5.2.2.5).
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Request-Id", info.request_id);
  if (info.request.tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  }
  // CORS with credentials: the exact allowed origin echoed, never '*' (Fetch §3.2.5).
  if (auto origin = info.request.Header("origin"); origin && services_.csrf->IsAllowedOrigin(*origin)) {
    response.SetHeader("Access-Control-Allow-Origin", std::string(*origin));
    response.SetHeader("Access-Control-Allow-Credentials", "true");
    response.AddHeader("Vary", "Origin");
  }
}

AuditEvent AuthHandler::Event(const RequestInfo& info, std::string_view name, bool success,
                              std::string reason) const {
  AuditEvent event;
  event.event = name;
  event.success = success;
  event.reason = std::move(reason);
  event.ip = info.client_ip;
  event.user_agent = info.user_agent;
  event.request_id = info.request_id;
  return event;
}

bool AuthHandler::Audit(const RequestInfo& /*info*/, AuditEvent event) {
  return services_.audit->Record(event).has_value();
}

std::optional<HttpResponse> AuthHandler::RefuseCrossSite(const RequestInfo& info) {
  std::string reason = services_.csrf->CrossSiteReason(info.request);
  if (reason.empty()) {
    return std::nullopt;
  }
  AuditEvent event = Event(info, audit_event::kCsrfRejected, false, reason);
  event.detail_json = "{\"path\":";
  internal::AppendJsonString(event.detail_json, info.request.Path().substr(0, 64));
  event.detail_json += "}";
  (void)Audit(info, std::move(event));
  return ErrorResponse(403, "csrf_rejected");
}

HttpResponse AuthHandler::SessionCookiesResponse(const store::User& user,
                                                 const IssuedSession& issued) const {
  std::string body = "{\"user\":" + UserJson(user.id, user.username, user.roles) + ",\"csrf_token\":";
  internal::AppendJsonString(body, services_.csrf->TokenFor(issued.session_id));
  body += "}";
  HttpResponse response = JsonResponse(200, std::move(body));
  const Seconds now = services_.clock->Now();
  response.AddHeader("Set-Cookie", AccessCookie(issued.access.jwt, issued.access.expires_at - now));
  std::optional<std::chrono::seconds> persistent;
  if (issued.remember) {
    persistent = issued.absolute_expires_at - now;
  }
  response.AddHeader("Set-Cookie", RefreshCookie(issued.refresh_token, persistent));
  return response;
}

}  // namespace writ::server
