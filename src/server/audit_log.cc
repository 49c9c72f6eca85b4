#include "server/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <simdjson.h>
#include <sodium.h>

#include "core/base64url.h"
#include "core/json_writer.h"
#include "core/rfc3339.h"
#include "core/sodium_init.h"
#include "core/strict_json.h"

namespace writ::server {
namespace {

// Byte bounds of the text fields, cut at a UTF-8 character boundary. Client-supplied ones
// (user agent, username, request id) must not let a client bloat or forge log lines.
constexpr std::size_t kMaxEventBytes = 32;
constexpr std::size_t kMaxReasonBytes = 64;
constexpr std::size_t kMaxUsernameBytes = 64;
constexpr std::size_t kMaxIpBytes = 64;
constexpr std::size_t kMaxUserAgentBytes = 256;
constexpr std::size_t kMaxRequestIdBytes = 128;
// detail_json is built by our own code; anything larger or deeper is a bug.
constexpr internal::JsonLimits kDetailLimits{4096, 8};
// FormatRfc3339's range: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr std::int64_t kMaxTime = 253402300799;
constexpr std::string_view kSessionContext{"writ-session\0", 13};
constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD

// Length of the well-formed UTF-8 sequence (RFC 3629 §4) at `text[pos]` with its code
// point in `code_point`; 0 when the bytes there are not one.
std::size_t DecodeUtf8(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;  // range of the second byte
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    low = lead == 0xe0 ? 0xa0 : 0x80;   // no overlong forms
    high = lead == 0xed ? 0x9f : 0xbf;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size() || byte(1) < low || byte(1) > high) {
    return 0;
  }
  code_point = static_cast<char32_t>(lead & (0x7fu >> length));
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6) | static_cast<char32_t>(byte(i) & 0x3fu);
  }
  return length;
}

// Characters that are valid but would mislead a reader of the log: DEL, C1 controls
// (U+009B is CSI to a terminal), line/paragraph separators and bidirectional overrides.
// C0 controls are left to AppendJsonString, which escapes them.
bool IsMisleading(char32_t code_point) {
  return (code_point >= 0x7f && code_point <= 0x9f) || (code_point >= 0x2028 && code_point <= 0x202e) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

// `text` as valid UTF-8 of at most `max_bytes` bytes: ill-formed bytes and misleading
// characters become U+FFFD, and the result is cut before the first character that would
// not fit whole.
std::string CleanText(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    std::size_t length = DecodeUtf8(text, pos, code_point);
    std::string_view piece = text.substr(pos, length);
    if (length == 0 || IsMisleading(code_point)) {
      piece = kReplacement;
      length = std::max<std::size_t>(length, 1);
    }
    if (out.size() + piece.size() > max_bytes) {
      break;
    }
    out += piece;
    pos += length;
  }
  return out;
}

// detail_json minified into one line, "{}" when empty, nullopt unless a strict JSON object.
std::optional<std::string> MinifiedDetail(std::string_view detail_json) {
  if (detail_json.empty()) {
    return std::string("{}");
  }
  // A document of our own, so that a caller's ParseStrictObject result stays valid.
  simdjson::dom::document document;
  const auto object = internal::ParseStrictObjectInto(document, detail_json, kDetailLimits, false);
  if (!object) {
    return std::nullopt;
  }
  return simdjson::minify(*object);
}

// The event's fields as they are written anywhere: bounded, valid, hashed.
store::AuditRecord CleanRecord(const AuditEvent& event, Seconds time) {
  store::AuditRecord record;
  record.time = time;
  record.event = CleanText(event.event, kMaxEventBytes);
  record.outcome = event.success ? "success" : "failure";
  record.reason = CleanText(event.reason, kMaxReasonBytes);
  record.user_id = event.user_id;
  record.username = CleanText(event.username, kMaxUsernameBytes);
  record.ip = CleanText(event.ip, kMaxIpBytes);
  record.user_agent = CleanText(event.user_agent, kMaxUserAgentBytes);
  record.request_id = CleanText(event.request_id, kMaxRequestIdBytes);
  record.session_hash = AuditLog::HashSessionId(event.session_id);
  record.detail_json = MinifiedDetail(event.detail_json).value_or("{}");
  return record;
}

std::string LineOf(const store::AuditRecord& record) {
  const std::int64_t seconds = std::clamp<std::int64_t>(record.time.time_since_epoch().count(), 0, kMaxTime);
  std::string line = "{";
  internal::AppendStringMember(line, "time", internal::FormatRfc3339(seconds));
  internal::AppendStringMember(line, "event", record.event);
  internal::AppendStringMember(line, "outcome", record.outcome);
  internal::AppendStringMember(line, "reason", record.reason);
  line += ",\"user_id\":";
  line += record.user_id.has_value() ? std::to_string(*record.user_id) : "null";
  internal::AppendStringMember(line, "username", record.username);
  internal::AppendStringMember(line, "ip", record.ip);
  internal::AppendStringMember(line, "user_agent", record.user_agent);
  internal::AppendStringMember(line, "request_id", record.request_id);
  internal::AppendStringMember(line, "session", record.session_hash);
  line += ",\"detail\":";
  line += record.detail_json;
  line += '}';
  return line;
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::Create(std::string_view sink,
                                                   std::shared_ptr<store::Store> store,
                                                   std::shared_ptr<const Clock> clock) {
  if (store == nullptr || clock == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "the audit log needs a store and a clock");
  }
  std::FILE* file = nullptr;
  bool owns_file = false;
  if (sink == "stdout") {
    file = stdout;
  } else if (sink.starts_with("file:")) {
    const std::string path(sink.substr(5));
    if (path.empty() || path.find('\0') != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "audit sink file: needs a path");
    }
    // Audit lines name users and addresses: readable by the server's user only.
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Fail(ErrorCode::kIo, "cannot open audit file " + path + ": " + std::strerror(errno));
    }
    file = ::fdopen(fd, "a");
    if (file == nullptr) {
      const int error = errno;
      ::close(fd);
      return Fail(ErrorCode::kIo, "cannot open audit file " + path + ": " + std::strerror(error));
    }
    owns_file = true;
  } else if (sink != "none") {
    return Fail(ErrorCode::kInvalidArgument, "audit sink must be stdout, file:PATH or none");
  }
  return std::unique_ptr<AuditLog>(new AuditLog(file, owns_file, std::move(store), std::move(clock)));
}

AuditLog::AuditLog(std::FILE* file, bool owns_file, std::shared_ptr<store::Store> store,
                   std::shared_ptr<const Clock> clock)
    : file_(file), owns_file_(owns_file), store_(std::move(store)), clock_(std::move(clock)) {}

AuditLog::~AuditLog() {
  if (owns_file_ && file_ != nullptr) {
    std::fclose(file_);
  }
}

Status AuditLog::Record(const AuditEvent& event) {
  if (!MinifiedDetail(event.detail_json).has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "audit detail_json is not a JSON object");
  }
  const store::AuditRecord record = CleanRecord(event, clock_->Now());
  // Both are attempted even when one fails, so that one of them still has the event.
  bool written = true;
  if (file_ != nullptr) {
    const std::string line = LineOf(record) + '\n';
    const std::lock_guard lock(mutex_);
    written = std::fwrite(line.data(), 1, line.size(), file_) == line.size() && std::fflush(file_) == 0;
    if (!written) {
      std::clearerr(file_);
    }
  }
  const Status stored = store_->AppendAudit(record);
  if (!written) {
    return Fail(ErrorCode::kIo, "cannot write the audit line");
  }
  if (!stored) {
    return Fail(ErrorCode::kStorage, "cannot store the audit record: " + stored.error().detail);
  }
  return {};
}

std::string AuditLog::FormatLine(const AuditEvent& event, Seconds time) {
  return LineOf(CleanRecord(event, time));
}

std::string AuditLog::HashSessionId(std::string_view session_id) {
  if (session_id.empty()) {
    return "";
  }
  internal::EnsureSodium();
  crypto_hash_sha256_state state;
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(kSessionContext.data()),
                            kSessionContext.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(session_id.data()),
                            session_id.size());
  crypto_hash_sha256_final(&state, digest.data());
  return internal::Base64UrlEncode(std::span<const std::uint8_t>(digest.data(), 16));
}

}  // namespace writ::server
