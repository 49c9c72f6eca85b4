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

// A signup refused after CreateUser (its audit record failed) takes the account back, and
// only an account nobody has used: one with a session, even a revoked one, stays.
TEST_P(StoreContract, DeleteUnusedUserTakesBackOnlyAnAccountWithoutSessions) {
  const std::int64_t unused = AddUser("fresh");
  EXPECT_TRUE(store().DeleteUnusedUser(unused).value());
  EXPECT_FALSE(store().FindUserById(unused).value().has_value());
  EXPECT_FALSE(store().FindUserByName("fresh").value().has_value());
  EXPECT_FALSE(store().DeleteUnusedUser(unused).value()) << "already gone";
  EXPECT_GT(AddUser("fresh"), 0) << "the name is free again";

  const std::int64_t used = AddUser("used");
  AddSession(SessionOf(used, "session-used", HashNo(9)));
  ASSERT_TRUE(store().RevokeSession("session-used", kT0 + std::chrono::seconds{10}, "logout").value());
  EXPECT_FALSE(store().DeleteUnusedUser(used).value());
  EXPECT_TRUE(store().FindUserById(used).value().has_value());
  EXPECT_FALSE(store().DeleteUnusedUser(424242).value());
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

// A login-like record: `event` at `time` with the given outcome, username and ip.
AuditRecord Attempt(Seconds time, const std::string& event, const std::string& outcome,
                    const std::string& username, const std::string& ip) {
  AuditRecord record;
  record.time = time;
  record.event = event;
  record.outcome = outcome;
  record.username = username;
  record.ip = ip;
  record.detail_json = "{}";
  return record;
}

// The times of `records`, as seconds after kT0 (newest first, as ListAudit returns them).
std::vector<long> OffsetsOf(const Result<std::vector<AuditRecord>>& records) {
  std::vector<long> offsets;
  for (const AuditRecord& record : records.value()) {
    offsets.push_back(static_cast<long>((record.time - kT0).count()));
  }
  return offsets;
}

TEST_P(StoreContract, ListAuditFiltersByOutcomeUsernameAndIp) {
  const std::vector<AuditRecord> records = {
      Attempt(kT0, "login", "failure", "alice", "192.0.2.1"),
      Attempt(kT0 + seconds{1}, "login", "success", "alice", "192.0.2.1"),
      Attempt(kT0 + seconds{2}, "login", "failure", "bob", "192.0.2.1"),
      Attempt(kT0 + seconds{3}, "login", "failure", "alice", "198.51.100.7"),
      Attempt(kT0 + seconds{4}, "throttled", "failure", "alice", "192.0.2.1"),
      Attempt(kT0 + seconds{5}, "login", "failure", "Alice", "192.0.2.10"),
  };
  for (const AuditRecord& record : records) {
    ASSERT_TRUE(store().AppendAudit(record).has_value());
  }
  AuditQuery failures;
  failures.outcome = "failure";
  EXPECT_EQ(OffsetsOf(store().ListAudit(failures)), (std::vector<long>{5, 4, 3, 2, 0}));
  AuditQuery alice;
  alice.username = "alice";  // exact: not "Alice"
  EXPECT_EQ(OffsetsOf(store().ListAudit(alice)), (std::vector<long>{4, 3, 1, 0}));
  AuditQuery from_ip;
  from_ip.ip = "192.0.2.1";  // exact: not a prefix of 192.0.2.10
  EXPECT_EQ(OffsetsOf(store().ListAudit(from_ip)), (std::vector<long>{4, 2, 1, 0}));

  AuditQuery combined;
  combined.event = "login";
  combined.outcome = "failure";
  combined.username = "alice";
  combined.ip = "192.0.2.1";
  EXPECT_EQ(OffsetsOf(store().ListAudit(combined)), (std::vector<long>{0}));
  combined.since = kT0 + seconds{1};
  EXPECT_TRUE(store().ListAudit(combined).value().empty());
  AuditQuery nobody;
  nobody.username = "";  // set to empty matches only records without a username
  EXPECT_TRUE(store().ListAudit(nobody).value().empty());
  AuditQuery newest_failure = from_ip;
  newest_failure.outcome = "failure";
  newest_failure.limit = 1;
  EXPECT_EQ(OffsetsOf(store().ListAudit(newest_failure)), (std::vector<long>{4}));
}

// Filter values are data, never SQL or patterns: an injection attempt, a LIKE wildcard, a
// placeholder or a value cut by a NUL matches nothing (only a record that holds exactly
// that text) and leaves the table as it was.
TEST_P(StoreContract, HostileAuditFilterValuesMatchOnlyThemselves) {
  const std::string hostile = "x' OR '1'='1";
  ASSERT_TRUE(
      store().AppendAudit(Attempt(kT0, "login", "failure", "alice", "192.0.2.1")).has_value());
  ASSERT_TRUE(
      store().AppendAudit(Attempt(kT0 + seconds{1}, "login", "success", "bob", "")).has_value());
  const std::vector<std::string> attacks = {
      hostile, "alice' --", "alice\"; DROP TABLE audit; --", "%", "_", "alice%", "' OR 1=1 --",
      "$1", "?1", std::string("alice\0x", 7), std::string("login\0", 6),
      std::string("192.0.2.1\0", 10)};
  for (const std::string& attack : attacks) {
    AuditQuery by_username;
    by_username.username = attack;
    AuditQuery by_ip;
    by_ip.ip = attack;
    AuditQuery by_outcome;
    by_outcome.outcome = attack;
    AuditQuery by_event;
    by_event.event = attack;
    for (const AuditQuery& query : {by_username, by_ip, by_outcome, by_event}) {
      auto listed = store().ListAudit(query);
      ASSERT_TRUE(listed.has_value()) << listed.error().detail;
      EXPECT_TRUE(listed->empty()) << attack;
    }
    AuditCountQuery count;
    count.event = attack;
    count.since = kT0;
    auto counted = store().CountAudit(count);
    ASSERT_TRUE(counted.has_value()) << counted.error().detail;
    EXPECT_TRUE(counted->empty()) << attack;
    AuditTopQuery top;
    top.event = attack;
    top.since = kT0;
    auto ranked = store().TopAudit(top);
    ASSERT_TRUE(ranked.has_value()) << ranked.error().detail;
    EXPECT_TRUE(ranked->empty()) << attack;
  }
  // A record that really holds the hostile text is found by exactly that text.
  ASSERT_TRUE(
      store().AppendAudit(Attempt(kT0 + seconds{2}, "login", "failure", hostile, "")).has_value());
  AuditQuery exact;
  exact.username = hostile;
  EXPECT_EQ(OffsetsOf(store().ListAudit(exact)), (std::vector<long>{2}));
  // Nothing was broken or changed.
  EXPECT_EQ(store().ListAudit(AuditQuery{}).value().size(), 3u);
  EXPECT_TRUE(store().Ping().has_value());
}

TEST_P(StoreContract, CountAuditBucketsFromSinceByOutcome) {
  const Seconds since = kT0;
  const std::vector<AuditRecord> records = {
      Attempt(since - seconds{1}, "login", "success", "", ""),    // before since: excluded
      Attempt(since, "login", "success", "", ""),                 // bucket 0, its first second
      Attempt(since + seconds{59}, "login", "success", "", ""),   // bucket 0, its last second
      Attempt(since + seconds{59}, "login", "failure", "", ""),   // bucket 0
      Attempt(since + seconds{60}, "login", "success", "", ""),   // bucket 1, its first second
      Attempt(since + seconds{61}, "login", "failure", "", ""),   // bucket 1
      Attempt(since + seconds{61}, "login", "failure", "", ""),   // bucket 1
      Attempt(since + seconds{30}, "refresh", "success", "", ""),  // other event: excluded
      Attempt(since + seconds{250}, "login", "success", "", ""),  // bucket 4 (2 and 3 empty)
  };
  for (const AuditRecord& record : records) {
    ASSERT_TRUE(store().AppendAudit(record).has_value());
  }
  AuditCountQuery query;
  query.event = "login";
  query.since = since;
  query.bucket = seconds{60};
  auto counts = store().CountAudit(query);
  ASSERT_TRUE(counts.has_value()) << counts.error().detail;
  ASSERT_EQ(counts->size(), 5u);
  const struct {
    long start;
    const char* outcome;
    std::int64_t count;
  } expected[] = {{0, "failure", 1},
                  {0, "success", 2},
                  {60, "failure", 2},
                  {60, "success", 1},
                  {240, "success", 1}};
  for (std::size_t i = 0; i < counts->size(); ++i) {
    EXPECT_EQ((*counts)[i].bucket_start, since + seconds{expected[i].start}) << i;
    EXPECT_EQ((*counts)[i].outcome, expected[i].outcome) << i;
    EXPECT_EQ((*counts)[i].count, expected[i].count) << i;
  }

  // Buckets are counted from `since`, not from the epoch.
  query.since = since + seconds{59};
  auto shifted = store().CountAudit(query);
  ASSERT_TRUE(shifted.has_value());
  ASSERT_EQ(shifted->size(), 3u);
  EXPECT_EQ((*shifted)[0].bucket_start, since + seconds{59});  // seconds 59..118
  EXPECT_EQ((*shifted)[0].outcome, "failure");                  // at 59, 61, 61
  EXPECT_EQ((*shifted)[0].count, 3);
  EXPECT_EQ((*shifted)[1].outcome, "success");                  // at 59, 60
  EXPECT_EQ((*shifted)[1].count, 2);
  EXPECT_EQ((*shifted)[2].bucket_start, since + seconds{239});  // 250 is in 239..298
  query.event = "logout";
  EXPECT_TRUE(store().CountAudit(query).value().empty());
}

TEST_P(StoreContract, CountAuditRefusesABucketThatIsNotPositive) {
  ASSERT_TRUE(store().AppendAudit(Attempt(kT0, "login", "success", "", "")).has_value());
  for (const seconds bucket : {seconds{0}, seconds{-60}}) {
    AuditCountQuery query;
    query.event = "login";
    query.since = kT0;
    query.bucket = bucket;
    auto counts = store().CountAudit(query);
    ASSERT_FALSE(counts.has_value()) << bucket.count();
    EXPECT_EQ(counts.error().code, ErrorCode::kInvalidArgument);
  }
  AuditCountQuery one_second;
  one_second.event = "login";
  one_second.since = kT0;
  one_second.bucket = seconds{1};
  EXPECT_EQ(store().CountAudit(one_second).value().size(), 1u);
}

TEST_P(StoreContract, TopAuditRanksByCountThenValue) {
  const Seconds since = kT0;
  const std::vector<AuditRecord> records = {
      Attempt(since - seconds{1}, "throttled", "failure", "zed", "203.0.113.99"),  // too old
      Attempt(since - seconds{1}, "throttled", "failure", "zed", "203.0.113.99"),
      Attempt(since, "throttled", "failure", "alice", "198.51.100.2"),
      Attempt(since + seconds{1}, "throttled", "failure", "alice", "192.0.2.7"),
      Attempt(since + seconds{2}, "throttled", "failure", "Bob", "198.51.100.2"),
      Attempt(since + seconds{3}, "throttled", "failure", "Bob", "192.0.2.7"),
      Attempt(since + seconds{4}, "throttled", "failure", "", "203.0.113.9"),
      Attempt(since + seconds{5}, "throttled", "failure", "", "203.0.113.9"),
      Attempt(since + seconds{6}, "throttled", "failure", "", "203.0.113.9"),
      Attempt(since + seconds{7}, "throttled", "failure", "carol", ""),
      Attempt(since + seconds{8}, "login", "failure", "zed", "203.0.113.99"),  // other event
      Attempt(since + seconds{9}, "login", "failure", "zed", "203.0.113.99"),
      Attempt(since + seconds{10}, "login", "failure", "zed", "203.0.113.99"),
      Attempt(since + seconds{11}, "login", "failure", "zed", "203.0.113.99"),
  };
  for (const AuditRecord& record : records) {
    ASSERT_TRUE(store().AppendAudit(record).has_value());
  }
  const auto ranked = [&](AuditField field, std::int64_t limit) {
    AuditTopQuery query;
    query.event = "throttled";
    query.since = since;
    query.field = field;
    query.limit = limit;
    auto top_values = store().TopAudit(query);
    EXPECT_TRUE(top_values.has_value());
    std::vector<std::string> rows;
    for (const AuditTop& top : top_values.value_or(std::vector<AuditTop>{})) {
      rows.push_back(top.value + "=" + std::to_string(top.count) + "@" +
                     std::to_string((top.last_seen - since).count()));
    }
    return rows;
  };
  // A tie is broken by the value, compared bytewise ("192..." < "198...", "Bob" < "alice").
  EXPECT_EQ(ranked(AuditField::kIp, 20),
            (std::vector<std::string>{"203.0.113.9=3@6", "192.0.2.7=2@3", "198.51.100.2=2@2",
                                      "=1@7"}));
  EXPECT_EQ(ranked(AuditField::kUsername, 20),
            (std::vector<std::string>{"=3@6", "Bob=2@3", "alice=2@1", "carol=1@7"}));
  EXPECT_EQ(ranked(AuditField::kIp, 2),
            (std::vector<std::string>{"203.0.113.9=3@6", "192.0.2.7=2@3"}));
  EXPECT_TRUE(ranked(AuditField::kIp, 0).empty());
  EXPECT_TRUE(ranked(AuditField::kUsername, -1).empty());
}

TEST_P(StoreContract, TopAuditReturnsAtMostOneThousand) {
  for (int i = 0; i < 1005; ++i) {
    ASSERT_TRUE(store()
                    .AppendAudit(Attempt(kT0, "throttled", "failure", "",
                                         "10.0." + std::to_string(i / 256) + "." +
                                             std::to_string(i % 256)))
                    .has_value());
  }
  AuditTopQuery query;
  query.event = "throttled";
  query.since = kT0;
  query.limit = 5000;
  auto top = store().TopAudit(query);
  ASSERT_TRUE(top.has_value());
  ASSERT_EQ(top->size(), 1000u);
  EXPECT_EQ(top->front().value, "10.0.0.0");
  EXPECT_EQ(top->front().count, 1);
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
