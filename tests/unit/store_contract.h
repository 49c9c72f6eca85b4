// The fixture of the Store contract suite (StoreContract), run over every backend so that
// backends cannot drift. The tests are spread over store_test.cc (users, denylist, audit,
// persistence), store_sessions_test.cc and store_refresh_test.cc; each backend's list and
// instantiation is its own file (sqlite_store_contract_test.cc, pg_store_contract_test.cc).
#ifndef WRIT_TESTS_UNIT_STORE_CONTRACT_H_
#define WRIT_TESTS_UNIT_STORE_CONTRACT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"
#include "store_test_util.h"

namespace writ::store {

// Outcomes print by name in failure messages.
inline void PrintTo(RefreshOutcome outcome, std::ostream* out) {
  static constexpr const char* kNames[] = {"kRotated",      "kRotatedInGrace", "kReuseDetected",
                                           "kUnknownToken", "kExpired",        "kRevoked"};
  *out << kNames[static_cast<int>(outcome)];
}

namespace test_util {

// A backend under test. open(dir) opens the store kept in `dir`, a fresh private directory
// per test (a backend that keeps nothing on disk may ignore it); opening the same `dir`
// again must reach the same data when `persistent`.
struct StoreBackend {
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
  bool persistent = false;
};

// Backends print by name (in test lists and failure messages).
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

class StoreContract : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Reopen();
  }

  void Reopen() {
    store_.reset();
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.has_value()) << opened.error().detail;
    store_ = std::move(*opened);
  }

  Store& store() { return *store_; }

  std::int64_t AddUser(const std::string& username) {
    NewUser user;
    user.username = username;
    user.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    user.roles = {"user"};
    user.created_at = kT0;
    auto created = store().CreateUser(user);
    EXPECT_TRUE(created.has_value() && created->has_value());
    return created.has_value() && created->has_value() ? (*created)->id : 0;
  }

  // A session created at kT0, idle expiry kT0+1h, absolute expiry kT0+12h.
  static NewSession SessionOf(std::int64_t user_id, const std::string& id, const TokenHash& hash) {
    NewSession session;
    session.id = id;
    session.user_id = user_id;
    session.refresh_hash = hash;
    session.remember = false;
    session.created_at = kT0;
    session.idle_expires_at = kT0 + std::chrono::hours{1};
    session.absolute_expires_at = kT0 + std::chrono::hours{12};
    session.ip = "192.0.2.1";
    session.user_agent = "login-agent";
    return session;
  }

  void AddSession(const NewSession& session) {
    auto created = store().CreateSession(session);
    ASSERT_TRUE(created.has_value()) << created.error().detail;
  }

  // A session of a new user "alice" whose generation 1 is HashNo(1).
  void AddAliceSession(const std::string& id = "sess-a") {
    AddSession(SessionOf(AddUser("alice"), id, HashNo(1)));
  }

  static RefreshRequest Request(const TokenHash& presented, const TokenHash& fresh, Seconds now,
                                const std::string& ip = "198.51.100.1",
                                const std::string& user_agent = "tab-a") {
    RefreshRequest request;
    request.presented_hash = presented;
    request.new_hash = fresh;
    request.now = now;
    request.grace = std::chrono::seconds{10};
    request.idle_ttl = std::chrono::hours{1};
    request.ip = ip;
    request.user_agent = user_agent;
    return request;
  }

  RefreshResult Rotate(const RefreshRequest& request) {
    auto result = store().RotateRefresh(request);
    EXPECT_TRUE(result.has_value()) << result.error().detail;
    return result.has_value() ? *result : RefreshResult{};
  }

  Session Find(const std::string& id) {
    auto found = store().FindSession(id);
    EXPECT_TRUE(found.has_value() && found->has_value());
    return found.has_value() && found->has_value() ? **found : Session{};
  }

  static AuditRecord Event(Seconds time, const std::string& event,
                           std::optional<std::int64_t> user_id) {
    AuditRecord record;
    record.time = time;
    record.event = event;
    record.outcome = "success";
    record.user_id = user_id;
    record.detail_json = "{}";
    return record;
  }

  test_util::TempDir dir_;
  std::unique_ptr<Store> store_;
};

// ---- users ----

}  // namespace test_util
}  // namespace writ::store

#endif  // WRIT_TESTS_UNIT_STORE_CONTRACT_H_
