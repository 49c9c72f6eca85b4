#include "server/audit_log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/base64url.h"
#include "core/strict_json.h"

namespace writ::server {
namespace {

using std::chrono::seconds;

// 2026-11-29T04:00:00Z
constexpr Seconds kTime = Seconds(seconds(1'795'924'800));

// Records AppendAudit calls; every other method is unused here. Not the store under test.
class RecordingStore final : public store::Store {
 public:
  std::vector<store::AuditRecord> records() {
    const std::lock_guard lock(mutex_);
    return records_;
  }
  void set_fail(bool fail) { fail_ = fail; }

  Status AppendAudit(const store::AuditRecord& record) override {
    if (fail_) {
      return Fail(ErrorCode::kStorage, "disk full");
    }
    const std::lock_guard lock(mutex_);
    records_.push_back(record);
    return {};
  }

  Result<std::optional<store::User>> CreateUser(const store::NewUser&) override { return Unused(); }
  Result<std::optional<store::User>> FindUserByName(const std::string&) override { return Unused(); }
  Result<std::optional<store::User>> FindUserById(std::int64_t) override { return Unused(); }
  Result<std::vector<store::User>> ListUsers() override { return Unused(); }
  Result<bool> SetPasswordHash(std::int64_t, const std::string&) override { return Unused(); }
  Result<bool> SetDisabled(std::int64_t, bool) override { return Unused(); }
  Result<bool> SetRoles(std::int64_t, const std::vector<std::string>&) override { return Unused(); }
  Result<bool> DeleteUnusedUser(std::int64_t) override { return Unused(); }
  Status CreateSession(const store::NewSession&) override { return Unused(); }
  Result<std::optional<store::Session>> FindSession(const std::string&) override { return Unused(); }
  Result<std::optional<store::Session>> FindSessionByRefreshHash(const store::TokenHash&) override {
    return Unused();
  }
  Result<std::vector<store::Session>> ListActiveSessions(std::int64_t, Seconds) override { return Unused(); }
  Result<store::RefreshResult> RotateRefresh(const store::RefreshRequest&) override { return Unused(); }
  Result<bool> RevokeSession(const std::string&, Seconds, const std::string&) override { return Unused(); }
  Result<std::vector<std::string>> RevokeUserSessions(std::int64_t, Seconds, const std::string&) override {
    return Unused();
  }
  Result<std::vector<store::RevokedSession>> RevokedSessionsSince(Seconds) override { return Unused(); }
  Result<std::int64_t> PruneSessions(Seconds) override { return Unused(); }
  Result<std::int64_t> CountActiveSessions(Seconds) override { return Unused(); }
  Result<std::vector<store::Session>> ListAllActiveSessions(Seconds, std::int64_t) override {
    return Unused();
  }
  Status DenyToken(const std::string&, Seconds) override { return Unused(); }
  Result<std::vector<store::DeniedToken>> ListDeniedTokens(Seconds) override { return Unused(); }
  Result<std::int64_t> PruneDeniedTokens(Seconds) override { return Unused(); }
  Result<std::vector<store::AuditRecord>> ListAudit(const store::AuditQuery&) override { return Unused(); }
  Result<std::vector<store::AuditCount>> CountAudit(const store::AuditCountQuery&) override {
    return Unused();
  }
  Result<std::vector<store::AuditTop>> TopAudit(const store::AuditTopQuery&) override { return Unused(); }
  Result<std::int64_t> PruneAudit(Seconds) override { return Unused(); }
  Status Ping() override { return {}; }

 private:
  static tl::unexpected<Error> Unused() { return Fail(ErrorCode::kStorage, "not used by this test"); }

  std::mutex mutex_;
  std::vector<store::AuditRecord> records_;
  std::atomic<bool> fail_{false};
};

// A fresh directory under the test temp dir, removed with its files at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "writ-audit-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    for (const auto& file : files_) {
      ::unlink(file.c_str());
    }
    ::rmdir(path_.c_str());
  }
  std::string File(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

AuditEvent LoginFailure() {
  AuditEvent event;
  event.event = audit_event::kLogin;
  event.success = false;
  event.reason = "bad_password";
  event.user_id = 42;
  event.username = "alice";
  event.ip = "203.0.113.7";
  event.user_agent = "Mozilla/5.0";
  event.request_id = "req-1";
  event.session_id = "raw-session-id-do-not-log";
  return event;
}

std::string StringMember(simdjson::dom::object object, std::string_view name) {
  std::string_view value;
  EXPECT_EQ(object[name].get(value), simdjson::SUCCESS) << name;
  return std::string(value);
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// OpenSSL's SHA-256 of the documented input, independent of the code under test.
std::string ExpectedHash(std::string_view session_id) {
  std::string input("writ-session\0", 13);
  input += session_id;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return internal::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), 16));
}

TEST(AuditLogFormatLine, IsOneJsonObjectWithEveryMember) {
  AuditEvent event = LoginFailure();
  event.detail_json = R"({"attempts":3})";
  const std::string line = AuditLog::FormatLine(event, kTime);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto object = internal::ParseStrictObject(line, internal::JsonLimits{});
  ASSERT_TRUE(object.has_value()) << line;
  EXPECT_EQ(StringMember(*object, "time"), "2026-11-29T04:00:00Z");
  EXPECT_EQ(StringMember(*object, "event"), "login");
  EXPECT_EQ(StringMember(*object, "outcome"), "failure");
  EXPECT_EQ(StringMember(*object, "reason"), "bad_password");
  std::int64_t user_id = 0;
  EXPECT_EQ((*object)["user_id"].get(user_id), simdjson::SUCCESS);
  EXPECT_EQ(user_id, 42);
  EXPECT_EQ(StringMember(*object, "username"), "alice");
  EXPECT_EQ(StringMember(*object, "ip"), "203.0.113.7");
  EXPECT_EQ(StringMember(*object, "user_agent"), "Mozilla/5.0");
  EXPECT_EQ(StringMember(*object, "request_id"), "req-1");
  EXPECT_EQ(StringMember(*object, "session"), ExpectedHash("raw-session-id-do-not-log"));
  EXPECT_EQ(simdjson::minify((*object)["detail"]), R"({"attempts":3})");
  EXPECT_EQ(object->size(), 11u);
}

TEST(AuditLogFormatLine, ExactTextOfASuccessWithoutUserOrSession) {
  AuditEvent event;
  event.event = audit_event::kSignup;
  event.success = true;
  event.ip = "::1";
  EXPECT_EQ(AuditLog::FormatLine(event, kTime),
            R"({"time":"2026-11-29T04:00:00Z","event":"signup","outcome":"success","reason":"",)"
            R"("user_id":null,"username":"","ip":"::1","user_agent":"","request_id":"","session":"",)"
            R"("detail":{}})");
}

// Attack: a client-chosen User-Agent tries to end the line and forge a second entry,
// break out of the JSON string, or smuggle terminal escapes and invalid UTF-8.
TEST(AuditLogFormatLine, HostileUserAgentIsEscapedAndStaysOneLine) {
  AuditEvent event = LoginFailure();
  event.user_agent = std::string("ua\"}\n{\"event\":\"login\",\"outcome\":\"success\"}\r\x1b[2J\\") +
                     "\xff\xc0\xaf" +          // invalid bytes, overlong '/'
                     "\xed\xa0\x80" +          // a UTF-16 surrogate
                     "\xc2\x9b" +              // U+009B CSI
                     "\xe2\x80\xa8" +          // U+2028 line separator
                     "\xe2\x80\xae" +          // U+202E right-to-left override
                     "\xc3\xa9";               // é, kept
  const std::string line = AuditLog::FormatLine(event, kTime);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  const auto object = internal::ParseStrictObject(line, internal::JsonLimits{});
  ASSERT_TRUE(object.has_value()) << line;
  EXPECT_EQ(StringMember(*object, "outcome"), "failure");
  const std::string replacement = "\xef\xbf\xbd";
  std::string expected = "ua\"}\n{\"event\":\"login\",\"outcome\":\"success\"}\r\x1b[2J\\";
  for (int i = 0; i < 3 + 3 + 3; ++i) {  // three bad bytes, three surrogate bytes, three others
    expected += replacement;
  }
  expected += "\xc3\xa9";
  EXPECT_EQ(StringMember(*object, "user_agent"), expected);
}

TEST(AuditLogFormatLine, LongUserAgentIsCutAtACharacterBoundary) {
  AuditEvent event = LoginFailure();
  event.user_agent = std::string(255, 'a') + "\xc3\xa9" + std::string(1000, 'b');
  auto object = internal::ParseStrictObject(AuditLog::FormatLine(event, kTime), internal::JsonLimits{});
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(StringMember(*object, "user_agent"), std::string(255, 'a'));
  event.user_agent = std::string(1000, 'x');
  object = internal::ParseStrictObject(AuditLog::FormatLine(event, kTime), internal::JsonLimits{});
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(StringMember(*object, "user_agent"), std::string(256, 'x'));
}

TEST(AuditLogFormatLine, LongUsernameIsCutAt64Bytes) {
  AuditEvent event = LoginFailure();
  event.username = std::string(62, 'u') + "\xe2\x82\xac" + "tail";  // € straddles byte 64
  auto object = internal::ParseStrictObject(AuditLog::FormatLine(event, kTime), internal::JsonLimits{});
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(StringMember(*object, "username"), std::string(62, 'u'));
  event.username = std::string(61, 'u') + "\xe2\x82\xac" + "tail";
  object = internal::ParseStrictObject(AuditLog::FormatLine(event, kTime), internal::JsonLimits{});
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(StringMember(*object, "username"), std::string(61, 'u') + "\xe2\x82\xac");
}

TEST(AuditLogFormatLine, SessionIdAppearsOnlyHashed) {
  const AuditEvent event = LoginFailure();
  const std::string line = AuditLog::FormatLine(event, kTime);
  EXPECT_EQ(line.find(event.session_id), std::string::npos);
  EXPECT_NE(line.find(ExpectedHash(event.session_id)), std::string::npos);
}

TEST(AuditLogHashSessionId, IsTruncatedDomainSeparatedSha256) {
  EXPECT_EQ(AuditLog::HashSessionId("abc"), ExpectedHash("abc"));
  EXPECT_EQ(AuditLog::HashSessionId("abc").size(), 22u);
  EXPECT_NE(AuditLog::HashSessionId("abc"), AuditLog::HashSessionId("abd"));
  EXPECT_EQ(AuditLog::HashSessionId(""), "");
}

TEST(AuditLogFormatLine, MultiLineDetailIsMinified) {
  AuditEvent event = LoginFailure();
  event.detail_json = "{\n  \"first_use_ip\": \"198.51.100.1\",\n  \"generation\": 4\n}";
  const std::string line = AuditLog::FormatLine(event, kTime);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find(R"("detail":{"first_use_ip":"198.51.100.1","generation":4})"), std::string::npos);
}

TEST(AuditLogFormatLine, InvalidDetailBecomesEmpty) {
  AuditEvent event = LoginFailure();
  for (const char* detail : {"[1]", "{\"a\":1", "{\"a\":1,\"a\":2}", "{} {}"}) {
    event.detail_json = detail;
    EXPECT_NE(AuditLog::FormatLine(event, kTime).find(R"("detail":{}})"), std::string::npos) << detail;
  }
}

TEST(AuditLogFormatLine, DoesNotDisturbACallersParsedJson) {
  const auto body = internal::ParseStrictObject(R"({"username":"bob"})", internal::JsonLimits{});
  ASSERT_TRUE(body.has_value());
  AuditEvent event = LoginFailure();
  event.detail_json = R"({"x":[1,2,3],"y":"zzzzzzzzzzzzzzzzzzzzzz"})";
  (void)AuditLog::FormatLine(event, kTime);
  EXPECT_EQ(StringMember(*body, "username"), "bob");
}

struct Harness {
  std::shared_ptr<RecordingStore> store = std::make_shared<RecordingStore>();
  std::shared_ptr<const Clock> clock = std::make_shared<FixedClock>(kTime);
};

TEST(AuditLog, NoneSinkStillStoresTheMappedRecord) {
  Harness h;
  auto log = AuditLog::Create("none", h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  AuditEvent event = LoginFailure();
  event.detail_json = R"({"attempts": 3})";
  ASSERT_TRUE((*log)->Record(event).has_value());
  const auto records = h.store->records();
  ASSERT_EQ(records.size(), 1u);
  const store::AuditRecord& record = records[0];
  EXPECT_EQ(record.time, kTime);
  EXPECT_EQ(record.event, "login");
  EXPECT_EQ(record.outcome, "failure");
  EXPECT_EQ(record.reason, "bad_password");
  EXPECT_EQ(record.user_id, 42);
  EXPECT_EQ(record.username, "alice");
  EXPECT_EQ(record.ip, "203.0.113.7");
  EXPECT_EQ(record.user_agent, "Mozilla/5.0");
  EXPECT_EQ(record.request_id, "req-1");
  EXPECT_EQ(record.session_hash, ExpectedHash("raw-session-id-do-not-log"));
  EXPECT_EQ(record.detail_json, R"({"attempts":3})");
  event.success = true;
  event.detail_json = "";
  ASSERT_TRUE((*log)->Record(event).has_value());
  EXPECT_EQ(h.store->records()[1].outcome, "success");
  EXPECT_EQ(h.store->records()[1].detail_json, "{}");
}

TEST(AuditLog, StoredTextIsBoundedLikeTheLine) {
  Harness h;
  auto log = AuditLog::Create("none", h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  AuditEvent event = LoginFailure();
  event.user_agent = std::string(5000, 'a') + "\n";
  event.username = "bob\xff";
  ASSERT_TRUE((*log)->Record(event).has_value());
  EXPECT_EQ(h.store->records()[0].user_agent, std::string(256, 'a'));
  EXPECT_EQ(h.store->records()[0].username, "bob\xef\xbf\xbd");
}

TEST(AuditLog, StoreFailureFailsTheRecord) {
  Harness h;
  TempDir dir;
  const std::string path = dir.File("audit.log");
  auto log = AuditLog::Create("file:" + path, h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  h.store->set_fail(true);
  const Status status = (*log)->Record(LoginFailure());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kStorage);
  // The line is still written: the attempt is not lost from both places.
  EXPECT_EQ(ReadLines(path).size(), 1u);
}

TEST(AuditLog, SinkWriteFailureFailsTheRecord) {
  if (::access("/dev/full", W_OK) != 0) {
    GTEST_SKIP() << "no /dev/full";
  }
  Harness h;
  auto log = AuditLog::Create("file:/dev/full", h.store, h.clock);  // every write: ENOSPC
  ASSERT_TRUE(log.has_value());
  const Status status = (*log)->Record(LoginFailure());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_EQ(h.store->records().size(), 1u);  // the store still has it
}

TEST(AuditLog, InvalidDetailIsRefusedAndNothingWritten) {
  Harness h;
  auto log = AuditLog::Create("none", h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  AuditEvent event = LoginFailure();
  event.detail_json = "not json";
  const Status status = (*log)->Record(event);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(h.store->records().empty());
}

TEST(AuditLog, FileSinkAppendsLinesToA0600File) {
  Harness h;
  TempDir dir;
  const std::string path = dir.File("audit.log");
  for (int round = 0; round < 2; ++round) {  // a reopened log appends
    auto log = AuditLog::Create("file:" + path, h.store, h.clock);
    ASSERT_TRUE(log.has_value()) << log.error().detail;
    ASSERT_TRUE((*log)->Record(LoginFailure()).has_value());
  }
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    EXPECT_EQ(line, AuditLog::FormatLine(LoginFailure(), kTime));
  }
  EXPECT_EQ(h.store->records().size(), 2u);
}

TEST(AuditLog, ConcurrentRecordsNeverInterleave) {
  Harness h;
  TempDir dir;
  const std::string path = dir.File("audit.log");
  auto log = AuditLog::Create("file:" + path, h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log] {
      AuditEvent event = LoginFailure();
      event.user_agent = std::string(200, 'q');
      for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE((*log)->Record(event).has_value());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const auto lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 400u);
  for (const auto& line : lines) {
    ASSERT_TRUE(internal::ParseStrictObject(line, internal::JsonLimits{}).has_value()) << line;
  }
  EXPECT_EQ(h.store->records().size(), 400u);
}

TEST(AuditLog, UnopenableFileIsAnIoError) {
  Harness h;
  TempDir dir;
  const auto log = AuditLog::Create("file:" + dir.path() + "/missing-dir/audit.log", h.store, h.clock);
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error().code, ErrorCode::kIo);
}

TEST(AuditLog, BadSinkOrMissingStoreIsRefused) {
  Harness h;
  for (const char* sink : {"", "stderr", "file:", "syslog:x", "FILE:/tmp/x"}) {
    const auto log = AuditLog::Create(sink, h.store, h.clock);
    ASSERT_FALSE(log.has_value()) << sink;
    EXPECT_EQ(log.error().code, ErrorCode::kInvalidArgument) << sink;
  }
  EXPECT_FALSE(AuditLog::Create("none", nullptr, h.clock).has_value());
  EXPECT_FALSE(AuditLog::Create("none", h.store, nullptr).has_value());
}

TEST(AuditLog, StdoutSinkWritesTheLine) {
  Harness h;
  auto log = AuditLog::Create("stdout", h.store, h.clock);
  ASSERT_TRUE(log.has_value());
  ::testing::internal::CaptureStdout();
  const Status status = (*log)->Record(LoginFailure());
  const std::string output = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(output, AuditLog::FormatLine(LoginFailure(), kTime) + "\n");
}

}  // namespace
}  // namespace writ::server
