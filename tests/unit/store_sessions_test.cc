// The Store contract (store_contract.h): sessions, revocation and pruning.
#include <algorithm>
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

TEST_P(StoreContract, CreatedSessionStartsAtGenerationOne) {
  NewSession created = SessionOf(AddUser("alice"), "sess-a", HashNo(1));
  created.remember = true;
  AddSession(created);
  const Session session = Find("sess-a");
  EXPECT_EQ(session.user_id, created.user_id);
  EXPECT_EQ(session.generation, 1);
  EXPECT_EQ(session.grace_from_generation, 1);
  EXPECT_EQ(session.rotated_at, kT0);
  EXPECT_TRUE(session.remember);
  EXPECT_EQ(session.created_at, kT0);
  EXPECT_EQ(session.last_used_at, kT0);
  EXPECT_EQ(session.idle_expires_at, kT0 + hours{1});
  EXPECT_EQ(session.absolute_expires_at, kT0 + hours{12});
  EXPECT_EQ(session.ip, "192.0.2.1");
  EXPECT_EQ(session.user_agent, "login-agent");
  EXPECT_FALSE(session.revoked_at.has_value());
  EXPECT_EQ(session.revoke_reason, "");
  EXPECT_FALSE(store().FindSession("sess-unknown").value().has_value());
}

// A User-Agent is raw header bytes, cut at a byte limit: not necessarily UTF-8. Every
// backend keeps them as given (a backend that refused them would refuse the login).
TEST_P(StoreContract, UserAgentBytesThatAreNotUtf8RoundTrip) {
  const std::string agent = "Mozilla/5.0 \xff\xfe caf\xc3";  // obs-text, a cut sequence
  NewSession created = SessionOf(AddUser("alice"), "sess-a", HashNo(1));
  created.user_agent = agent;
  AddSession(created);
  EXPECT_EQ(Find("sess-a").user_agent, agent);
  const RefreshResult rotated =
      Rotate(Request(HashNo(1), HashNo(2), kT0 + seconds{60}, "198.51.100.1", agent + "\x80"));
  ASSERT_EQ(rotated.outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(Find("sess-a").user_agent, agent + "\x80");
  const RefreshResult reuse = Rotate(Request(HashNo(1), HashNo(3), kT0 + seconds{120}));
  ASSERT_EQ(reuse.outcome, RefreshOutcome::kReuseDetected);
  EXPECT_EQ(reuse.first_use_user_agent, agent + "\x80");
}

TEST_P(StoreContract, ListActiveSessionsExcludesExpiredRevokedAndOtherUsers) {
  const std::int64_t alice = AddUser("alice");
  const Seconds now = kT0 + seconds{30};
  NewSession older = SessionOf(alice, "older", HashNo(1));
  NewSession newer = SessionOf(alice, "newer", HashNo(2));
  newer.created_at = kT0 + seconds{10};
  NewSession idle_expired = SessionOf(alice, "idle-expired", HashNo(3));
  idle_expired.idle_expires_at = now;  // expiry == now is expired
  NewSession absolute_expired = SessionOf(alice, "absolute-expired", HashNo(4));
  absolute_expired.absolute_expires_at = now;
  NewSession revoked = SessionOf(alice, "revoked", HashNo(5));
  NewSession other_user = SessionOf(AddUser("bob"), "bobs", HashNo(6));
  for (const NewSession& session :
       {older, newer, idle_expired, absolute_expired, revoked, other_user}) {
    AddSession(session);
  }
  ASSERT_TRUE(store().RevokeSession("revoked", kT0 + seconds{20}, "logout").value());

  auto active = store().ListActiveSessions(alice, now);
  ASSERT_TRUE(active.has_value());
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].id, "newer");
  EXPECT_EQ((*active)[1].id, "older");
}

// The ids of `sessions`, in order.
std::vector<std::string> IdsOf(const Result<std::vector<Session>>& sessions) {
  std::vector<std::string> ids;
  for (const Session& session : sessions.value()) {
    ids.push_back(session.id);
  }
  return ids;
}

// Every user's active sessions, by the same rule as ListActiveSessions (expiry == now has
// passed), most recently used first, ties by id.
TEST_P(StoreContract, AllActiveSessionsSpanUsersAndExcludeDeadOnes) {
  const std::int64_t alice = AddUser("alice");
  const std::int64_t bob = AddUser("bob");
  const std::int64_t carol = AddUser("carol");
  const Seconds now = kT0 + seconds{100};
  const auto at = [](NewSession session, seconds created) {
    session.created_at = kT0 + created;  // last_used_at starts at created_at
    return session;
  };
  NewSession idle_expired = SessionOf(bob, "idle-expired", HashNo(1));
  idle_expired.idle_expires_at = now;
  NewSession idle_boundary = SessionOf(carol, "idle-boundary", HashNo(2));
  idle_boundary.idle_expires_at = now + seconds{1};
  NewSession absolute_expired = SessionOf(carol, "absolute-expired", HashNo(3));
  absolute_expired.absolute_expires_at = now;
  for (const NewSession& session :
       {SessionOf(alice, "alice-old", HashNo(4)),
        at(SessionOf(alice, "alice-new", HashNo(5)), seconds{20}),
        at(SessionOf(bob, "bob-1", HashNo(6)), seconds{10}),
        at(SessionOf(carol, "b-tie", HashNo(7)), seconds{5}),
        at(SessionOf(bob, "a-tie", HashNo(8)), seconds{5}),
        SessionOf(alice, "alice-rotated", HashNo(9)), SessionOf(bob, "revoked", HashNo(10)),
        idle_expired, idle_boundary, absolute_expired}) {
    AddSession(session);
  }
  ASSERT_TRUE(store().RevokeSession("revoked", kT0 + seconds{30}, "logout").value());
  // Rotation moves last_used_at (not created_at): this session becomes the most recent.
  ASSERT_EQ(Rotate(Request(HashNo(9), HashNo(11), kT0 + seconds{50})).outcome,
            RefreshOutcome::kRotated);

  EXPECT_EQ(store().CountActiveSessions(now).value(), 7);
  auto all = store().ListAllActiveSessions(now, 100);
  EXPECT_EQ(IdsOf(all), (std::vector<std::string>{"alice-rotated", "alice-new", "bob-1", "a-tie",
                                                   "b-tie", "alice-old", "idle-boundary"}));
  const Session& rotated = all.value().front();
  EXPECT_EQ(rotated.user_id, alice);
  EXPECT_EQ(rotated.generation, 2);
  EXPECT_EQ(rotated.last_used_at, kT0 + seconds{50});
  EXPECT_EQ(rotated.created_at, kT0);
  EXPECT_EQ(rotated.ip, "198.51.100.1");
  EXPECT_FALSE(rotated.revoked_at.has_value());

  // One second later the boundary session has expired too; at the absolute expiry, all.
  EXPECT_EQ(store().CountActiveSessions(now + seconds{1}).value(), 6);
  EXPECT_EQ(IdsOf(store().ListAllActiveSessions(now + seconds{1}, 100)).back(), "alice-old");
  EXPECT_EQ(store().CountActiveSessions(kT0 + hours{12}).value(), 0);
  EXPECT_TRUE(store().ListAllActiveSessions(kT0 + hours{12}, 100).value().empty());
  // The per-user list agrees with the rule.
  EXPECT_EQ(store().ListActiveSessions(bob, now).value().size(), 2u);
}

TEST_P(StoreContract, AllActiveSessionsOfAnEmptyStore) {
  EXPECT_EQ(store().CountActiveSessions(kT0).value(), 0);
  EXPECT_TRUE(store().ListAllActiveSessions(kT0, 100).value().empty());
}

TEST_P(StoreContract, ListAllActiveSessionsHonoursItsLimit) {
  const std::int64_t alice = AddUser("alice");
  for (int i = 0; i < 4; ++i) {
    NewSession session = SessionOf(alice, "sess-" + std::to_string(i), HashNo(i + 1));
    session.created_at = kT0 + seconds{i};
    AddSession(session);
  }
  const Seconds now = kT0 + seconds{10};
  EXPECT_EQ(IdsOf(store().ListAllActiveSessions(now, 2)),
            (std::vector<std::string>{"sess-3", "sess-2"}));
  EXPECT_TRUE(store().ListAllActiveSessions(now, 0).value().empty());
  EXPECT_TRUE(store().ListAllActiveSessions(now, -1).value().empty());
  EXPECT_EQ(store().CountActiveSessions(now).value(), 4);  // the count has no limit
}

TEST_P(StoreContract, ListAllActiveSessionsReturnsAtMostOneThousand) {
  const std::int64_t alice = AddUser("alice");
  for (int i = 0; i < 1001; ++i) {
    NewSession session = SessionOf(alice, "sess-" + std::to_string(i), HashNo(i + 1));
    session.created_at = kT0 + seconds{i};
    AddSession(session);
  }
  const Seconds now = kT0 + seconds{1001};
  EXPECT_EQ(store().CountActiveSessions(now).value(), 1001);
  auto listed = store().ListAllActiveSessions(now, 5000);
  ASSERT_EQ(listed.value().size(), 1000u);
  EXPECT_EQ(listed.value().front().id, "sess-1000");
  EXPECT_EQ(listed.value().back().id, "sess-1");
}

// ---- refresh rotation (RefreshRequest in store_records.h) ----

// ---- revocation and pruning ----

TEST_P(StoreContract, RevokeSessionOnlyOnce) {
  AddAliceSession();
  EXPECT_TRUE(store().RevokeSession("sess-a", kT0 + seconds{5}, "logout").value());
  EXPECT_FALSE(store().RevokeSession("sess-a", kT0 + seconds{6}, "logout_all").value());
  EXPECT_FALSE(store().RevokeSession("sess-unknown", kT0 + seconds{6}, "logout").value());
  const Session stored = Find("sess-a");
  EXPECT_EQ(stored.revoked_at, kT0 + seconds{5});
  EXPECT_EQ(stored.revoke_reason, "logout");
}

TEST_P(StoreContract, RevokeUserSessionsRevokesOnlyThatUsersLiveSessions) {
  const std::int64_t alice = AddUser("alice");
  const std::int64_t bob = AddUser("bob");
  NewSession second = SessionOf(alice, "alice-2", HashNo(2));
  second.created_at = kT0 + seconds{1};
  AddSession(SessionOf(alice, "alice-1", HashNo(1)));
  AddSession(second);
  AddSession(SessionOf(alice, "alice-old", HashNo(3)));
  AddSession(SessionOf(bob, "bob-1", HashNo(4)));
  ASSERT_TRUE(store().RevokeSession("alice-old", kT0 + seconds{2}, "logout").value());

  auto revoked = store().RevokeUserSessions(alice, kT0 + seconds{9}, "logout_all");
  ASSERT_TRUE(revoked.has_value());
  std::vector<std::string> ids = *revoked;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"alice-1", "alice-2"}));
  EXPECT_EQ(Find("alice-1").revoke_reason, "logout_all");
  EXPECT_EQ(Find("alice-old").revoke_reason, "logout");
  EXPECT_EQ(Find("alice-old").revoked_at, kT0 + seconds{2});
  EXPECT_FALSE(Find("bob-1").revoked_at.has_value());
  EXPECT_TRUE(store().RevokeUserSessions(alice, kT0 + seconds{10}, "logout_all").value().empty());
}

TEST_P(StoreContract, RevokedSessionsSinceIncludesItsFirstSecond) {
  const std::int64_t alice = AddUser("alice");
  AddSession(SessionOf(alice, "early", HashNo(1)));
  AddSession(SessionOf(alice, "late", HashNo(2)));
  AddSession(SessionOf(alice, "live", HashNo(3)));
  ASSERT_TRUE(store().RevokeSession("early", kT0 + seconds{10}, "logout").value());
  ASSERT_TRUE(store().RevokeSession("late", kT0 + seconds{20}, "logout").value());

  auto since_late = store().RevokedSessionsSince(kT0 + seconds{20});
  ASSERT_TRUE(since_late.has_value());
  ASSERT_EQ(since_late->size(), 1u);
  EXPECT_EQ((*since_late)[0].session_id, "late");
  EXPECT_EQ((*since_late)[0].user_id, alice);
  EXPECT_EQ((*since_late)[0].revoked_at, kT0 + seconds{20});
  EXPECT_EQ(store().RevokedSessionsSince(kT0 + seconds{10}).value().size(), 2u);
  EXPECT_TRUE(store().RevokedSessionsSince(kT0 + seconds{21}).value().empty());
}

TEST_P(StoreContract, PruneSessionsDeletesDeadSessionsAndTheirTokens) {
  const std::int64_t alice = AddUser("alice");
  const Seconds before = kT0 + seconds{150};
  NewSession absolute_expired = SessionOf(alice, "absolute-expired", HashNo(1));
  absolute_expired.absolute_expires_at = kT0 + seconds{100};
  NewSession idle_expired = SessionOf(alice, "idle-expired", HashNo(2));
  idle_expired.idle_expires_at = kT0 + seconds{100};
  NewSession expires_at_cutoff = SessionOf(alice, "expires-at-cutoff", HashNo(3));
  expires_at_cutoff.absolute_expires_at = before;
  for (const NewSession& session :
       {absolute_expired, idle_expired, expires_at_cutoff,
        SessionOf(alice, "revoked-early", HashNo(4)), SessionOf(alice, "revoked-late", HashNo(5)),
        SessionOf(alice, "live", HashNo(6))}) {
    AddSession(session);
  }
  ASSERT_TRUE(store().RevokeSession("revoked-early", kT0 + seconds{50}, "logout").value());
  ASSERT_TRUE(store().RevokeSession("revoked-late", kT0 + seconds{200}, "logout").value());

  EXPECT_EQ(store().PruneSessions(before).value(), 3);
  for (const char* gone : {"absolute-expired", "idle-expired", "revoked-early"}) {
    EXPECT_FALSE(store().FindSession(gone).value().has_value()) << gone;
  }
  for (const char* kept : {"expires-at-cutoff", "revoked-late", "live"}) {
    EXPECT_TRUE(store().FindSession(kept).value().has_value()) << kept;
  }
  // The pruned chains are gone with their sessions.
  EXPECT_EQ(Rotate(Request(HashNo(4), HashNo(10), kT0 + seconds{1})).outcome,
            RefreshOutcome::kUnknownToken);
  EXPECT_EQ(Rotate(Request(HashNo(6), HashNo(11), kT0 + seconds{1})).outcome,
            RefreshOutcome::kRotated);
}

// ---- denylist ----

}  // namespace
}  // namespace writ::store

namespace writ::store {
namespace {

TEST_P(StoreContract, FindSessionByRefreshHashMapsCurrentAndSpentTokens) {
  AddAliceSession();
  const Seconds t1 = kT0 + std::chrono::seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1)).outcome, RefreshOutcome::kRotated);
  for (int n : {1, 2}) {
    auto found = store().FindSessionByRefreshHash(HashNo(n));
    ASSERT_TRUE(found);
    ASSERT_TRUE(found->has_value()) << n;
    EXPECT_EQ((*found)->id, "sess-a");
  }
  auto unknown = store().FindSessionByRefreshHash(HashNo(9));
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

}  // namespace
}  // namespace writ::store
