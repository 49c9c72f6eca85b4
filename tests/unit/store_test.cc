// The Store contract: one value-parameterised suite, StoreContract (store_contract.h), run
// over every backend so that backends cannot drift: SQLite in writ_unit_tests
// (sqlite_store_contract_test.cc), PostgreSQL in writ_pg_store_tests
// (pg_store_contract_test.cc). This file: users, the denylist, the audit trail and
// persistence; sessions and refresh rotation are in store_sessions_test.cc and
// store_refresh_test.cc.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store_contract.h"

namespace writ::store {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using test_util::HashNo;
using test_util::kT0;
using test_util::StoreContract;

TEST_P(StoreContract, CreatedUserIsFoundByNameAndId) {
  NewUser user;
  user.username = "alice";
  user.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  user.roles = {"admin", "user"};
  user.created_at = kT0;
  auto created = store().CreateUser(user);
  ASSERT_TRUE(created.has_value() && created->has_value());
  const User& alice = **created;
  EXPECT_GT(alice.id, 0);
  EXPECT_FALSE(alice.disabled);

  for (const auto& found : {store().FindUserByName("alice"), store().FindUserById(alice.id)}) {
    ASSERT_TRUE(found.has_value() && found->has_value());
    EXPECT_EQ((*found)->id, alice.id);
    EXPECT_EQ((*found)->username, "alice");
    EXPECT_EQ((*found)->password_hash, user.password_hash);
    EXPECT_EQ((*found)->roles, user.roles);
    EXPECT_FALSE((*found)->disabled);
    EXPECT_EQ((*found)->created_at, kT0);
  }
}

TEST_P(StoreContract, UnknownUserIsNullopt) {
  EXPECT_FALSE(store().FindUserByName("nobody").value().has_value());
  EXPECT_FALSE(store().FindUserById(42).value().has_value());
}

TEST_P(StoreContract, TakenUsernameIsNullopt) {
  AddUser("alice");
  NewUser again;
  again.username = "alice";
  again.password_hash = "$argon2id$other";
  auto created = store().CreateUser(again);
  ASSERT_TRUE(created.has_value());
  EXPECT_FALSE(created->has_value());
  EXPECT_EQ(store().ListUsers().value().size(), 1u);
}

TEST_P(StoreContract, UsernamesAreComparedExactly) {
  AddUser("alice");
  AddUser("Alice");
  AddUser("alice ");
  EXPECT_EQ(store().ListUsers().value().size(), 3u);
  EXPECT_FALSE(store().FindUserByName("ALICE").value().has_value());
}

TEST_P(StoreContract, ListUsersIsOrderedById) {
  const std::int64_t carol = AddUser("carol");
  const std::int64_t alice = AddUser("alice");
  auto users = store().ListUsers();
  ASSERT_TRUE(users.has_value());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].id, std::min(carol, alice));
  EXPECT_EQ((*users)[1].id, std::max(carol, alice));
}

TEST_P(StoreContract, RolesRoundTripIncludingNone) {
  const std::int64_t id = AddUser("alice");
  const std::vector<std::vector<std::string>> cases = {{}, {"admin"}, {"a-b", "c_d", "role9", "x"}};
  for (const std::vector<std::string>& roles : cases) {
    ASSERT_TRUE(store().SetRoles(id, roles).value());
    EXPECT_EQ(store().FindUserById(id).value()->roles, roles);
  }
}

TEST_P(StoreContract, RoleOutsideTheAlphabetIsRefused) {
  const std::int64_t id = AddUser("alice");
  for (const char* bad : {"admin,root", "Admin", "", "a b", "r\xc3\xa9le"}) {
    auto set = store().SetRoles(id, {"user", bad});
    ASSERT_FALSE(set.has_value()) << bad;
    EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
  }
  NewUser user;
  user.username = "mallory";
  user.roles = {"user,admin"};
  auto created = store().CreateUser(user);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().FindUserById(id).value()->roles, std::vector<std::string>{"user"});
}

TEST_P(StoreContract, DisableAndPasswordChangeArePersisted) {
  const std::int64_t id = AddUser("alice");
  EXPECT_TRUE(store().SetDisabled(id, true).value());
  EXPECT_TRUE(store().FindUserById(id).value()->disabled);
  EXPECT_TRUE(store().SetDisabled(id, false).value());
  EXPECT_FALSE(store().FindUserById(id).value()->disabled);
  EXPECT_TRUE(store().SetPasswordHash(id, "$argon2id$new").value());
  EXPECT_EQ(store().FindUserById(id).value()->password_hash, "$argon2id$new");
}

TEST_P(StoreContract, UpdatesOfUnknownUserReturnFalse) {
  EXPECT_FALSE(store().SetDisabled(7, true).value());
  EXPECT_FALSE(store().SetPasswordHash(7, "$argon2id$x").value());
  EXPECT_FALSE(store().SetRoles(7, {"admin"}).value());
}

// ---- sessions ----

TEST_P(StoreContract, DeniedTokensAreListedUntilTheyExpire) {
  ASSERT_TRUE(store().DenyToken("jti-a", kT0 + seconds{100}).has_value());
  ASSERT_TRUE(store().DenyToken("jti-b", kT0 + seconds{200}).has_value());
  ASSERT_TRUE(store().DenyToken("jti-a", kT0 + seconds{50}).has_value());  // keeps the later

  auto listed = store().ListDeniedTokens(kT0);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].jti, "jti-a");
  EXPECT_EQ((*listed)[0].expires_at, kT0 + seconds{100});
  EXPECT_EQ((*listed)[1].jti, "jti-b");

  auto at_expiry = store().ListDeniedTokens(kT0 + seconds{100});
  ASSERT_EQ(at_expiry.value().size(), 1u);
  EXPECT_EQ(at_expiry.value()[0].jti, "jti-b");
  EXPECT_EQ(store().PruneDeniedTokens(kT0 + seconds{100}).value(), 1);
  EXPECT_EQ(store().ListDeniedTokens(kT0).value().size(), 1u);
}

// ---- audit ----

TEST_P(StoreContract, AuditRecordsRoundTripNewestFirst) {
  AuditRecord login = Event(kT0, "login", 7);
  login.outcome = "failure";
  login.reason = "bad_password";
  login.username = "alice";
  login.ip = "203.0.113.5";
  login.user_agent = "Mozilla/5.0 \"quoted\"";
  login.request_id = "req-1";
  login.session_hash = "c2Vzc2lvbg";
  login.detail_json = R"({"attempt":3})";
  ASSERT_TRUE(store().AppendAudit(login).has_value());
  ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{1}, "logout", std::nullopt)).has_value());

  auto listed = store().ListAudit(AuditQuery{});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].event, "logout");
  EXPECT_FALSE((*listed)[0].user_id.has_value());
  const AuditRecord& back = (*listed)[1];
  EXPECT_GT((*listed)[0].id, back.id);
  EXPECT_EQ(back.time, kT0);
  EXPECT_EQ(back.event, "login");
  EXPECT_EQ(back.outcome, "failure");
  EXPECT_EQ(back.reason, "bad_password");
  EXPECT_EQ(back.user_id, 7);
  EXPECT_EQ(back.username, "alice");
  EXPECT_EQ(back.ip, "203.0.113.5");
  EXPECT_EQ(back.user_agent, "Mozilla/5.0 \"quoted\"");
  EXPECT_EQ(back.request_id, "req-1");
  EXPECT_EQ(back.session_hash, "c2Vzc2lvbg");
  EXPECT_EQ(back.detail_json, R"({"attempt":3})");
}

TEST_P(StoreContract, ListAuditFiltersByEventUserAndSince) {
  ASSERT_TRUE(store().AppendAudit(Event(kT0, "login", 1)).has_value());
  ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{1}, "login", 2)).has_value());
  ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{2}, "refresh", 1)).has_value());
  ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{3}, "login", 1)).has_value());

  AuditQuery logins;
  logins.event = "login";
  EXPECT_EQ(store().ListAudit(logins).value().size(), 3u);
  AuditQuery user_one;
  user_one.user_id = 1;
  EXPECT_EQ(store().ListAudit(user_one).value().size(), 3u);
  AuditQuery recent;
  recent.since = kT0 + seconds{2};  // inclusive
  EXPECT_EQ(store().ListAudit(recent).value().size(), 2u);
  AuditQuery all_three = logins;
  all_three.user_id = 1;
  all_three.since = kT0 + seconds{1};
  auto combined = store().ListAudit(all_three);
  ASSERT_EQ(combined.value().size(), 1u);
  EXPECT_EQ(combined.value()[0].time, kT0 + seconds{3});
  AuditQuery newest_two;
  newest_two.limit = 2;
  auto limited = store().ListAudit(newest_two);
  ASSERT_EQ(limited.value().size(), 2u);
  EXPECT_EQ(limited.value()[0].time, kT0 + seconds{3});
  EXPECT_EQ(limited.value()[1].time, kT0 + seconds{2});
  AuditQuery none;
  none.limit = -5;
  EXPECT_TRUE(store().ListAudit(none).value().empty());
}

TEST_P(StoreContract, ListAuditReturnsAtMostOneThousand) {
  for (int i = 0; i < 1005; ++i) {
    ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{i}, "login", std::nullopt)).has_value());
  }
  AuditQuery everything;
  everything.limit = 5000;
  auto listed = store().ListAudit(everything);
  ASSERT_EQ(listed.value().size(), 1000u);
  EXPECT_EQ(listed.value().front().time, kT0 + seconds{1004});
}

TEST_P(StoreContract, PruneAuditDeletesRecordsOlderThanTheCutoff) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store().AppendAudit(Event(kT0 + seconds{i}, "login", std::nullopt)).has_value());
  }
  EXPECT_EQ(store().PruneAudit(kT0 + seconds{3}).value(), 3);
  auto left = store().ListAudit(AuditQuery{});
  ASSERT_EQ(left.value().size(), 2u);
  EXPECT_EQ(left.value().back().time, kT0 + seconds{3});
}

// ---- health and persistence ----

TEST_P(StoreContract, PingSucceeds) { EXPECT_TRUE(store().Ping().has_value()); }

TEST_P(StoreContract, ReopenedStoreKeepsEverything) {
  if (!GetParam().persistent) {
    GTEST_SKIP() << "this backend keeps nothing across opens";
  }
  AddAliceSession();
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), kT0 + seconds{60})).outcome,
            RefreshOutcome::kRotated);
  ASSERT_TRUE(store().DenyToken("jti-a", kT0 + hours{1}).has_value());
  ASSERT_TRUE(store().AppendAudit(Event(kT0, "login", 1)).has_value());
  Reopen();

  EXPECT_TRUE(store().FindUserByName("alice").value().has_value());
  EXPECT_EQ(Find("sess-a").generation, 2);
  EXPECT_EQ(store().ListDeniedTokens(kT0).value().size(), 1u);
  EXPECT_EQ(store().ListAudit(AuditQuery{}).value().size(), 1u);
  // The chain survived: the spent token is still recognised as reuse.
  EXPECT_EQ(Rotate(Request(HashNo(1), HashNo(3), kT0 + seconds{120})).outcome,
            RefreshOutcome::kReuseDetected);
}

}  // namespace
}  // namespace writ::store
