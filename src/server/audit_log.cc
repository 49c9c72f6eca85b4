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
#include "server/clean_text.h"

namespace writ::server {
namespace {

// Byte bounds of the text fields, cut at a UTF-8 character boundary. Client-supplied ones
// (user agent, username, request id) must not let a client bloat or forge log lines.
constexpr std::size_t kMaxEventBytes = 32;
constexpr std::size_t kMaxReasonBytes = 64;
constexpr std::size_t kMaxUsernameBytes = 64;
constexpr std::size_t kMaxIpBytes = 64;
constexpr std::size_t kMaxRequestIdBytes = 128;
// detail_json is built by our own code; anything larger or deeper is a bug.
constexpr internal::JsonLimits kDetailLimits{4096, 8};
// FormatRfc3339's range: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr std::int64_t kMaxTime = 253402300799;
constexpr std::string_view kSessionContext{"writ-session\0", 13};

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
