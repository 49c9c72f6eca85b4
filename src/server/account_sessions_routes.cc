// GET /auth/sessions and POST /auth/sessions/revoke: the signed-in user's own sessions, for
// the account page (web/account.html): which devices are logged in, and logging one out.
#include <algorithm>
#include <string>

#include "core/json_writer.h"
#include "core/strict_json.h"
#include "server/auth_handler.h"
#include "server/clean_text.h"
#include "server/cookies.h"
#include "server/json_body.h"

namespace writ::server {
namespace {

// Session ids are RandomId output (base64url); anything longer is not one of ours.
constexpr std::size_t kMaxSessionIdChars = 128;

// {"session_id":"…"}: the id, or "" when the body is not exactly that shape.
std::string SessionIdFromBody(const HttpRequest& request, BodyError& error) {
  if (!IsJsonContentType(request)) {
    error = {415, "unsupported_media_type"};
    return {};
  }
  internal::JsonLimits limits;
  limits.max_bytes = request.body.size() + 1;
  limits.max_depth = 2;
  auto object = internal::ParseStrictObject(request.body, limits);
  if (!object) {
    error = {400, "malformed_json"};
    return {};
  }
  std::string_view id;
  if ((*object)["session_id"].get_string().get(id) != simdjson::SUCCESS || id.empty() ||
      id.size() > kMaxSessionIdChars) {
    error = {400, "invalid_request"};
    return {};
  }
  return std::string(id);
}

void AppendSessionJson(std::string& json, const store::Session& session, bool current) {
  json += "{\"id\":";
  internal::AppendJsonString(json, session.id);
  json += ",\"current\":";
  json += current ? "true" : "false";
  json += ",\"created_at\":" + std::to_string(session.created_at.time_since_epoch().count());
  json += ",\"last_used_at\":" + std::to_string(session.last_used_at.time_since_epoch().count());
  json += ",\"expires_at\":" +
          std::to_string(std::min(session.idle_expires_at, session.absolute_expires_at).time_since_epoch().count());
  json += ",\"remember\":";
  json += session.remember ? "true" : "false";
  json += ",\"ip\":";
  internal::AppendJsonString(json, session.ip);
  json += ",\"user_agent\":";
  // Stored as the client sent it (any bytes): made valid UTF-8 for JSON (RFC 8259 §8.1).
  internal::AppendJsonString(json, CleanText(session.user_agent, kMaxUserAgentBytes));
  json += "}";
}

}  // namespace

HttpResponse AuthHandler::ListSessions(const RequestInfo& info) {
  // A safe method: the access cookie alone, like GET /auth/session. Cross-origin pages
  // cannot read the answer (CORS opens it to allowed_origins only).
  auto token = FindCookie(info.request, kAccessCookie);
  if (!token) {
    return ErrorResponse(401, "invalid_token");
  }
  auto claims = services_.access_tokens->Check(*token);
  if (!claims) {
    (void)Audit(info, Event(info, audit_event::kTokenRejected, false,
                            std::string(ErrorCodeName(claims.error().code))));
    return ErrorResponse(401, "invalid_token");
  }
  auto sessions = services_.store->ListActiveSessions(claims->user_id, services_.clock->Now());
  if (!sessions) {
    return ErrorResponse(503, "store_unavailable");
  }
  std::string body = "{\"sessions\":[";
  for (std::size_t i = 0; i < sessions->size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    const store::Session& session = (*sessions)[i];
    AppendSessionJson(body, session, session.id == claims->session_id);
  }
  body += "]}";
  return JsonResponse(200, std::move(body));
}

HttpResponse AuthHandler::RevokeSession(const RequestInfo& info) {
  // A state change: access cookie, cross-site check and X-CSRF-Token, as for logout-all.
  AccessClaims claims;
  if (auto refused = CheckSessionWrite(info, claims)) {
    return *refused;
  }
  BodyError body_error;
  const std::string session_id = SessionIdFromBody(info.request, body_error);
  if (session_id.empty()) {
    return ErrorResponse(body_error.status, body_error.code);
  }
  auto session = services_.store->FindSession(session_id);
  if (!session) {
    return ErrorResponse(503, "store_unavailable");
  }
  // Another user's session, an unknown id and an already ended session get the same
  // answer: the endpoint tells nobody which ids exist.
  if (!*session || (*session)->user_id != claims.user_id || (*session)->revoked_at) {
    AuditEvent event = Event(info, audit_event::kLogout, false, "not_own_session");
    event.user_id = claims.user_id;
    event.username = claims.username;
    event.session_id = claims.session_id;
    // Session ids are hashed in the audit trail, as event.session_id is (audit_log.h).
    event.detail_json = "{\"target_session\":";
    internal::AppendJsonString(event.detail_json, AuditLog::HashSessionId(session_id.substr(0, 64)));
    event.detail_json += "}";
    (void)Audit(info, std::move(event));
    return ErrorResponse(404, "session_not_found");
  }
  const bool current = session_id == claims.session_id;
  // The current session: its access token is denied by jti too, as on logout.
  Result<Ended> ended = current ? services_.sessions->End(claims, "logout")
                                : services_.sessions->EndById(session_id, "revoked_by_user");
  if (!ended) {
    return ErrorResponse(503, "store_unavailable");
  }
  AuditEvent event = Event(info, audit_event::kLogout, true, ended->broadcast ? "" : "not_broadcast");
  event.user_id = claims.user_id;
  event.username = claims.username;
  event.session_id = session_id;
  event.detail_json = "{\"by_session\":";
  internal::AppendJsonString(event.detail_json, AuditLog::HashSessionId(claims.session_id));
  event.detail_json += "}";
  (void)Audit(info, std::move(event));
  if (!ended->broadcast) {
    // As for logout (session_routes.cc): ended here and in the store, the other instances
    // learn it within seconds; the client may retry.
    HttpResponse response = ErrorResponse(503, "revocation_not_broadcast");
    response.SetHeader("Retry-After", "1");
    return response;
  }
  HttpResponse response;
  response.status = 204;
  if (current) {
    response.AddHeader("Set-Cookie", ClearAccessCookie());
    response.AddHeader("Set-Cookie", ClearRefreshCookie());
  }
  return response;
}

}  // namespace writ::server
