// POST /auth/signup and POST /auth/login (DESIGN.md, "The HTTP contract").
#include <string>

#include "server/auth_handler.h"
#include "server/json_body.h"
#include "server/password_rules.h"

namespace writ::server {
namespace {

// The throttle account of a login with an empty user name: not "", which signup checks,
// and not a name NormalizeUsername accepts ([a-z0-9._@-]).
constexpr std::string_view kEmptyLoginAccount = " ";

// 429 when throttled; 503 when the shared throttle (Redis) could not be asked, so the
// attempt was refused unchecked (fail closed) and the client should come back.
HttpResponse ThrottledResponse(const ThrottleDecision& decision) {
  HttpResponse response = decision.unavailable ? ErrorResponse(503, "throttle_unavailable")
                                               : ErrorResponse(429, "throttled");
  response.SetHeader("Retry-After", std::to_string(std::max<std::int64_t>(1, decision.retry_after.count())));
  return response;
}

HttpResponse InvalidCredentials() { return ErrorResponse(401, "invalid_credentials"); }

}  // namespace

HttpResponse AuthHandler::Signup(const RequestInfo& info) {
  if (!services_.config->signup_enabled) {
    return ErrorResponse(404, "signup_disabled");
  }
  if (auto refused = RefuseCrossSite(info)) {
    return *refused;
  }
  Credentials credentials;
  BodyError body_error;
  if (!ParseCredentials(info.request, credentials, body_error)) {
    return ErrorResponse(body_error.status, body_error.code);
  }
  // Signups share the per-IP bucket with logins, so mass account creation is slowed too.
  // "" names no account: Login never records a failure under it (kEmptyLoginAccount), so
  // nobody can lock signup for everyone by failing logins with an empty name.
  ThrottleDecision decision = services_.throttle->Check(info.client_ip, "");
  if (!decision.allowed) {
    (void)Audit(info, Event(info, audit_event::kThrottled, false, decision.reason));
    return ThrottledResponse(decision);
  }
  std::string username = NormalizeUsername(credentials.username);
  if (username.empty()) {
    return ErrorResponse(400, "invalid_username");
  }
  if (auto acceptable = CheckNewPassword(credentials.password, services_.config->passwords); !acceptable) {
    return ErrorResponse(400, acceptable.error().detail);
  }
  auto hash = services_.hasher->Hash(credentials.password);
  if (!hash) {
    return ErrorResponse(500, "internal");
  }
  store::NewUser new_user;
  new_user.username = username;
  new_user.password_hash = std::move(*hash);
  new_user.roles = {"user"};
  new_user.created_at = services_.clock->Now();
  auto created = services_.store->CreateUser(new_user);
  if (!created) {
    return ErrorResponse(503, "store_unavailable");
  }
  AuditEvent event = Event(info, audit_event::kSignup, created->has_value(),
                           created->has_value() ? "" : "username_taken");
  event.username = username;
  if (*created) {
    event.user_id = (*created)->id;
  }
  if (!Audit(info, std::move(event))) {
    // Fail closed without leaving an account behind that the audit trail does not show:
    // nobody has used it yet, so the client's retry can create it again.
    if (*created) {
      (void)services_.store->DeleteUnusedUser((*created)->id);
    }
    return ErrorResponse(503, "audit_unavailable");
  }
  if (!*created) {
    return ErrorResponse(409, "username_taken");
  }
  const store::User& user = **created;
  return JsonResponse(201, "{\"user\":" + UserJson(user.id, user.username, user.roles) + "}");
}

HttpResponse AuthHandler::Login(const RequestInfo& info) {
  if (auto refused = RefuseCrossSite(info)) {
    return *refused;
  }
  Credentials credentials;
  BodyError body_error;
  if (!ParseCredentials(info.request, credentials, body_error)) {
    return ErrorResponse(body_error.status, body_error.code);
  }
  // Unknown and malformed names are throttled and hashed like real ones: no enumeration.
  std::string username = NormalizeUsername(credentials.username);
  std::string account = !username.empty()            ? username
                        : credentials.username.empty() ? std::string(kEmptyLoginAccount)
                                                       : credentials.username.substr(0, 64);
  ThrottleDecision decision = services_.throttle->Check(info.client_ip, account);
  if (!decision.allowed) {
    AuditEvent event = Event(info, audit_event::kThrottled, false, decision.reason);
    event.username = account;
    (void)Audit(info, std::move(event));
    return ThrottledResponse(decision);
  }
  std::optional<store::User> user;
  if (!username.empty()) {
    auto found = services_.store->FindUserByName(username);
    if (!found) {
      return ErrorResponse(503, "store_unavailable");
    }
    user = std::move(*found);
  }
  std::string failure;
  if (!user) {
    services_.hasher->VerifyAgainstDummy(credentials.password);
    failure = "unknown_user";
  } else if (services_.hasher->Verify(credentials.password, user->password_hash) != PasswordCheck::kMatch) {
    failure = "bad_password";
  } else if (user->disabled) {
    failure = "disabled";
  }
  AuditEvent event = Event(info, audit_event::kLogin, failure.empty(), failure);
  event.username = account;
  if (user) {
    event.user_id = user->id;
  }
  if (!failure.empty()) {
    ThrottleDecision after = services_.throttle->RecordFailure(account);
    (void)Audit(info, std::move(event));
    if (after.newly_locked) {
      AuditEvent locked = Event(info, audit_event::kThrottled, false, "account_locked");
      locked.username = account;
      (void)Audit(info, std::move(locked));
    }
    if (after.unavailable) {
      // The failure could not be counted: no answer that invites the next guess.
      return ThrottledResponse(after);
    }
    return InvalidCredentials();
  }
  services_.throttle->RecordSuccess(account);
  if (services_.hasher->NeedsRehash(user->password_hash)) {
    // The policy changed since this hash was made: upgrade it now that we hold the password.
    if (auto rehashed = services_.hasher->Hash(credentials.password)) {
      (void)services_.store->SetPasswordHash(user->id, *rehashed);
    }
  }
  auto issued = services_.sessions->Start(*user, credentials.remember,
                                          RequestOrigin{info.client_ip, info.user_agent});
  if (!issued) {
    return ErrorResponse(503, "store_unavailable");
  }
  event.session_id = issued->session_id;
  if (!Audit(info, std::move(event))) {
    // Fail closed: no session is handed out that the audit trail does not show.
    (void)services_.store->RevokeSession(issued->session_id, services_.clock->Now(), "audit_failed");
    return ErrorResponse(503, "audit_unavailable");
  }
  return SessionCookiesResponse(*user, *issued);
}

}  // namespace writ::server
