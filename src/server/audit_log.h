// writ::server::AuditLog: one JSON line per authentication attempt and session event,
// written to a sink (stdout or a file) and kept in the store. Never a password, a token
// or a secret: callers pass only the fields below, session ids are hashed here, and
// client-supplied text (user agent, username) is bounded and escaped.
#ifndef WRIT_SERVER_AUDIT_LOG_H_
#define WRIT_SERVER_AUDIT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"
#include "writ/clock.h"
#include "writ/result.h"

namespace writ::server {

// Event names (DESIGN.md).
namespace audit_event {
inline constexpr std::string_view kSignup = "signup";
inline constexpr std::string_view kLogin = "login";
inline constexpr std::string_view kThrottled = "throttled";
inline constexpr std::string_view kRefresh = "refresh";
inline constexpr std::string_view kRefreshReuse = "refresh_reuse";
inline constexpr std::string_view kLogout = "logout";
inline constexpr std::string_view kLogoutAll = "logout_all";
inline constexpr std::string_view kCsrfRejected = "csrf_rejected";
inline constexpr std::string_view kTokenRejected = "token_rejected";
}  // namespace audit_event

// Bytes of a client's User-Agent that writ keeps: in audit records, session lists and the
// dashboard (CleanText cuts it there, on a character boundary).
inline constexpr std::size_t kMaxUserAgentBytes = 256;

struct AuditEvent {
  std::string_view event;
  bool success = false;
  std::string reason;
  std::optional<std::int64_t> user_id;
  std::string username;
  std::string ip;
  std::string user_agent;
  std::string request_id;
  std::string session_id;   // raw; hashed before it is written anywhere
  std::string detail_json;  // "" or a JSON object built by the caller from safe values
};

// Thread-safe.
class AuditLog {
 public:
  // `sink`: "stdout", "file:PATH" (opened for append, created 0600) or "none".
  // kIo when the file cannot be opened; kInvalidArgument for another sink or a null
  // store or clock.
  [[nodiscard]] static Result<std::unique_ptr<AuditLog>> Create(std::string_view sink,
                                                                std::shared_ptr<store::Store> store,
                                                                std::shared_ptr<const Clock> clock);
  ~AuditLog();

  // Writes the line and the store record. Fail closed: kIo/kStorage when either fails,
  // so the caller can refuse the request it was auditing (both are still attempted).
  // kInvalidArgument, writing nothing, when detail_json is neither "" nor a strict JSON
  // object (a bug in the caller).
  [[nodiscard]] Status Record(const AuditEvent& event);

  // The JSON line for `event` at `time` (no trailing newline), for tests and the sink:
  // {"time":"<RFC 3339>","event":…,"outcome":"success|failure","reason":…,"user_id":…,
  //  "username":…,"ip":…,"user_agent":…,"request_id":…,"session":"<hash>", …detail}
  // Every member is always present: user_id is a number or null, session is "" without
  // a session, and detail is "detail":{…} — detail_json minified, {} when empty or
  // invalid. Text is made valid UTF-8 (ill-formed bytes, DEL, C1 controls, U+2028/2029
  // and bidi controls become U+FFFD; other controls are JSON-escaped) and cut at a
  // character boundary: event 32 bytes, reason 64, username 64, ip 64, user_agent 256,
  // request_id 128. The store record gets the same values.
  static std::string FormatLine(const AuditEvent& event, Seconds time);
  // The first 16 bytes of SHA-256("writ-session\0" || session_id), base64url; "" for "".
  static std::string HashSessionId(std::string_view session_id);

 private:
  AuditLog(std::FILE* file, bool owns_file, std::shared_ptr<store::Store> store,
           std::shared_ptr<const Clock> clock);
  std::FILE* file_;
  bool owns_file_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<const Clock> clock_;
  std::mutex mutex_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_AUDIT_LOG_H_
