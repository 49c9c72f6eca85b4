// The Store contract (store_contract.h): RotateRefresh, as RefreshRequest in
// store_records.h specifies it, including concurrent callers.
#include <array>
#include <latch>
#include <string>
#include <thread>
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

TEST_P(StoreContract, SequentialRotationAdvancesTheGeneration) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  const RefreshResult first = Rotate(Request(HashNo(1), HashNo(2), t1, "198.51.100.9", "tab-b"));
  EXPECT_EQ(first.outcome, RefreshOutcome::kRotated);
  ASSERT_TRUE(first.session.has_value());
  EXPECT_EQ(first.session->generation, 2);
  EXPECT_EQ(first.session->grace_from_generation, 1);
  EXPECT_EQ(first.session->rotated_at, t1);
  EXPECT_EQ(first.session->last_used_at, t1);
  EXPECT_EQ(first.session->idle_expires_at, t1 + hours{1});
  EXPECT_EQ(first.session->ip, "198.51.100.9");
  EXPECT_EQ(first.session->user_agent, "tab-b");

  const Seconds t2 = t1 + seconds{60};
  const RefreshResult second = Rotate(Request(HashNo(2), HashNo(3), t2));
  EXPECT_EQ(second.outcome, RefreshOutcome::kRotated);
  ASSERT_TRUE(second.session.has_value());
  EXPECT_EQ(second.session->generation, 3);
  EXPECT_EQ(second.session->grace_from_generation, 2);
  EXPECT_EQ(second.session->rotated_at, t2);

  const Session stored = Find("sess-a");
  EXPECT_EQ(stored.generation, 3);
  EXPECT_EQ(stored.rotated_at, t2);
  EXPECT_EQ(stored.idle_expires_at, t2 + hours{1});
  EXPECT_EQ(Rotate(Request(HashNo(3), HashNo(4), t2 + seconds{1})).outcome,
            RefreshOutcome::kRotated);
}

TEST_P(StoreContract, PreviousTokenWithinGraceRotatesWithoutSlidingTheWindow) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1, "198.51.100.1", "tab-a")).outcome,
            RefreshOutcome::kRotated);
  const RefreshResult second =
      Rotate(Request(HashNo(1), HashNo(3), t1 + seconds{5}, "198.51.100.2", "tab-b"));
  EXPECT_EQ(second.outcome, RefreshOutcome::kRotatedInGrace);
  ASSERT_TRUE(second.session.has_value());
  EXPECT_EQ(second.session->generation, 2);
  EXPECT_EQ(second.session->grace_from_generation, 1);
  EXPECT_EQ(second.session->rotated_at, t1);  // the window does not slide
  EXPECT_EQ(second.session->last_used_at, t1 + seconds{5});
  EXPECT_EQ(second.session->idle_expires_at, t1 + seconds{5} + hours{1});
  EXPECT_EQ(second.session->user_agent, "tab-b");
  EXPECT_FALSE(second.session->revoked_at.has_value());
  // The grace rotation's token is the live one.
  EXPECT_EQ(Rotate(Request(HashNo(3), HashNo(4), t1 + seconds{6})).outcome,
            RefreshOutcome::kRotated);
}

TEST_P(StoreContract, OverwrittenSiblingRotatesWithinGraceAndIsReuseAfter) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1, "198.51.100.1", "tab-a")).outcome,
            RefreshOutcome::kRotated);
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(3), t1 + seconds{1}, "198.51.100.2", "tab-b")).outcome,
            RefreshOutcome::kRotatedInGrace);
  // Tab A's answer reached the cookie jar last: its overwritten token still rotates inside
  // the window (no false theft alarm), and the result is again the single live token.
  const RefreshResult sibling = Rotate(Request(HashNo(2), HashNo(4), t1 + seconds{2}));
  EXPECT_EQ(sibling.outcome, RefreshOutcome::kRotatedInGrace);
  EXPECT_FALSE(Find("sess-a").revoked_at.has_value());
  EXPECT_EQ(Rotate(Request(HashNo(4), HashNo(5), t1 + seconds{30})).outcome, RefreshOutcome::kRotated);
  // After the window, a token of that burst is a spent token: reuse, reported as spent by
  // the request that replaced it.
  const RefreshResult stale = Rotate(Request(HashNo(3), HashNo(6), t1 + seconds{41}));
  EXPECT_EQ(stale.outcome, RefreshOutcome::kReuseDetected);
  EXPECT_EQ(stale.first_use_ip, "198.51.100.1");
  EXPECT_TRUE(Find("sess-a").revoked_at.has_value());
}

TEST_P(StoreContract, GraceWindowIncludesItsLastSecondOnly) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1)).outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(Rotate(Request(HashNo(1), HashNo(3), t1 + seconds{10})).outcome,
            RefreshOutcome::kRotatedInGrace);
  // The grace rotation at t1+10 did not restart the window.
  EXPECT_EQ(Rotate(Request(HashNo(1), HashNo(4), t1 + seconds{11})).outcome,
            RefreshOutcome::kReuseDetected);
}

TEST_P(StoreContract, AttackClockSteppedBackDoesNotReopenTheGraceWindow) {
  // A spent token presented after the clock was stepped back (NTP, a VM restore): now -
  // rotated_at is negative, which is not "within grace" but before the window.
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1)).outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(Rotate(Request(HashNo(1), HashNo(3), t1 - seconds{50})).outcome,
            RefreshOutcome::kReuseDetected);
}

TEST_P(StoreContract, ZeroGraceDisablesTheWindow) {
  AddAliceSession();
  RefreshRequest first = Request(HashNo(1), HashNo(2), kT0 + seconds{60});
  first.grace = seconds{0};
  ASSERT_EQ(Rotate(first).outcome, RefreshOutcome::kRotated);
  RefreshRequest again = Request(HashNo(1), HashNo(3), kT0 + seconds{60});
  again.grace = seconds{0};
  EXPECT_EQ(Rotate(again).outcome, RefreshOutcome::kReuseDetected);
}

TEST_P(StoreContract, SpentTokenAfterGraceIsReuseAndRevokesTheSession) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1, "198.51.100.7", "first-spender")).outcome,
            RefreshOutcome::kRotated);
  const Seconds t2 = t1 + seconds{11};
  const RefreshResult reuse = Rotate(Request(HashNo(1), HashNo(3), t2, "203.0.113.66", "thief"));
  EXPECT_EQ(reuse.outcome, RefreshOutcome::kReuseDetected);
  EXPECT_EQ(reuse.first_use_ip, "198.51.100.7");
  EXPECT_EQ(reuse.first_use_user_agent, "first-spender");
  ASSERT_TRUE(reuse.session.has_value());
  EXPECT_EQ(reuse.session->revoked_at, t2);
  EXPECT_EQ(reuse.session->revoke_reason, "refresh_reuse");

  const Session stored = Find("sess-a");
  EXPECT_EQ(stored.revoked_at, t2);
  EXPECT_EQ(stored.revoke_reason, "refresh_reuse");
  EXPECT_EQ(stored.generation, 2);  // the thief got nothing
  // The legitimate holder's current token is dead too.
  EXPECT_EQ(Rotate(Request(HashNo(2), HashNo(4), t2 + seconds{1})).outcome,
            RefreshOutcome::kRevoked);
  EXPECT_EQ(Rotate(Request(HashNo(3), HashNo(5), t2 + seconds{1})).outcome,
            RefreshOutcome::kUnknownToken);
}

TEST_P(StoreContract, TokenTwoGenerationsBackIsReuseEvenInsideTheWindow) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1, "198.51.100.1", "gen1-spender")).outcome,
            RefreshOutcome::kRotated);
  ASSERT_EQ(Rotate(Request(HashNo(2), HashNo(3), t1 + seconds{1})).outcome,
            RefreshOutcome::kRotated);
  const RefreshResult reuse = Rotate(Request(HashNo(1), HashNo(4), t1 + seconds{2}));
  EXPECT_EQ(reuse.outcome, RefreshOutcome::kReuseDetected);
  EXPECT_EQ(reuse.first_use_user_agent, "gen1-spender");
}

TEST_P(StoreContract, AnyTokenOfRevokedSessionIsRevoked) {
  AddAliceSession();
  const Seconds t1 = kT0 + seconds{60};
  ASSERT_EQ(Rotate(Request(HashNo(1), HashNo(2), t1)).outcome, RefreshOutcome::kRotated);
  ASSERT_TRUE(store().RevokeSession("sess-a", t1 + seconds{1}, "logout").value());
  for (const TokenHash& presented : {HashNo(1), HashNo(2)}) {
    const RefreshResult result = Rotate(Request(presented, HashNo(3), t1 + seconds{2}));
    EXPECT_EQ(result.outcome, RefreshOutcome::kRevoked);
    ASSERT_TRUE(result.session.has_value());
    EXPECT_EQ(result.session->revoke_reason, "logout");  // not overwritten by a reuse
  }
}

TEST_P(StoreContract, IdleExpiryEndsTheSessionAtItsSecond) {
  AddAliceSession("at-expiry");
  AddSession(SessionOf(AddUser("bob"), "before-expiry", HashNo(2)));
  const RefreshResult expired = Rotate(Request(HashNo(1), HashNo(3), kT0 + hours{1}));
  EXPECT_EQ(expired.outcome, RefreshOutcome::kExpired);
  ASSERT_TRUE(expired.session.has_value());
  EXPECT_EQ(expired.session->generation, 1);
  EXPECT_EQ(Rotate(Request(HashNo(2), HashNo(4), kT0 + hours{1} - seconds{1})).outcome,
            RefreshOutcome::kRotated);
}

TEST_P(StoreContract, IdleExpiryMovesButNeverPastAbsoluteExpiry) {
  NewSession session = SessionOf(AddUser("alice"), "sess-a", HashNo(1));
  session.absolute_expires_at = kT0 + hours{2};
  AddSession(session);
  const RefreshResult early = Rotate(Request(HashNo(1), HashNo(2), kT0 + seconds{3540}));
  ASSERT_EQ(early.outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(early.session->idle_expires_at, kT0 + seconds{3540} + hours{1});
  const RefreshResult late = Rotate(Request(HashNo(2), HashNo(3), kT0 + seconds{7080}));
  ASSERT_EQ(late.outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(late.session->idle_expires_at, kT0 + hours{2});
  EXPECT_EQ(late.session->absolute_expires_at, kT0 + hours{2});
  EXPECT_EQ(Rotate(Request(HashNo(3), HashNo(4), kT0 + hours{2})).outcome,
            RefreshOutcome::kExpired);
}

TEST_P(StoreContract, UnknownHashIsUnknownToken) {
  AddAliceSession();
  const RefreshResult result = Rotate(Request(HashNo(99), HashNo(100), kT0 + seconds{1}));
  EXPECT_EQ(result.outcome, RefreshOutcome::kUnknownToken);
  EXPECT_FALSE(result.session.has_value());
  EXPECT_EQ(Find("sess-a").generation, 1);
}

// An attack on the error path: a failed rotation must change nothing, and its error detail
// (which reaches logs) must not carry the token hashes.
TEST_P(StoreContract, FailedRotationRollsBackAndKeepsHashesOutOfTheError) {
  const std::int64_t alice = AddUser("alice");
  const TokenHash mine = "SECRET-HASH-OF-ALICE-0123456789ab";
  const TokenHash other = "SECRET-HASH-OF-OTHER-0123456789ab";
  AddSession(SessionOf(alice, "sess-a", mine));
  AddSession(SessionOf(alice, "sess-b", other));
  auto failed = store().RotateRefresh(Request(mine, other, kT0 + seconds{1}));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kStorage);
  EXPECT_EQ(failed.error().detail.find("SECRET-HASH"), std::string::npos) << failed.error().detail;
  EXPECT_EQ(Find("sess-a").generation, 1);
  EXPECT_EQ(Find("sess-a").last_used_at, kT0);
  EXPECT_EQ(Rotate(Request(mine, HashNo(7), kT0 + seconds{2})).outcome, RefreshOutcome::kRotated);
}

TEST_P(StoreContract, ConcurrentRotationOfOneTokenRotatesExactlyOnce) {
  AddAliceSession();
  constexpr int kThreads = 8;
  std::vector<Result<RefreshResult>> results(kThreads, Fail(ErrorCode::kStorage, "not run"));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      RefreshRequest request = Request(HashNo(1), HashNo(100 + i), kT0 + seconds{60});
      request.grace = seconds{0};
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = store().RotateRefresh(request);
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  int rotated = 0;
  int reuse = 0;
  int revoked = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    rotated += result->outcome == RefreshOutcome::kRotated ? 1 : 0;
    reuse += result->outcome == RefreshOutcome::kReuseDetected ? 1 : 0;
    revoked += result->outcome == RefreshOutcome::kRevoked ? 1 : 0;
  }
  EXPECT_EQ(rotated, 1);
  EXPECT_GE(reuse, 1);
  EXPECT_EQ(rotated + reuse + revoked, kThreads);
  const Session stored = Find("sess-a");
  EXPECT_EQ(stored.generation, 2);
  EXPECT_EQ(stored.revoke_reason, "refresh_reuse");
}

TEST_P(StoreContract, ConcurrentRotationWithinGraceKeepsOneChain) {
  AddAliceSession();
  constexpr int kThreads = 8;
  std::vector<Result<RefreshResult>> results(kThreads, Fail(ErrorCode::kStorage, "not run"));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const RefreshRequest request = Request(HashNo(1), HashNo(100 + i), kT0 + seconds{60});
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = store().RotateRefresh(request);
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  int rotated = 0;
  int in_grace = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    rotated += result->outcome == RefreshOutcome::kRotated ? 1 : 0;
    in_grace += result->outcome == RefreshOutcome::kRotatedInGrace ? 1 : 0;
  }
  EXPECT_EQ(rotated, 1);
  EXPECT_EQ(in_grace, kThreads - 1);
  EXPECT_EQ(Find("sess-a").generation, 2);
  EXPECT_FALSE(Find("sess-a").revoked_at.has_value());
}

// Two instances (two stores opened on one database, as two `writ serve` processes) race
// refreshes of one token: the lock that decides must be the database's, not a mutex of
// one store. Half the threads present the token on each store; with grace 0, exactly one
// rotates and the rest see a spent token (reuse) or the session that reuse revoked.
TEST_P(StoreContract, ConcurrentRotationAcrossTwoStoresRotatesExactlyOnce) {
  if (!GetParam().persistent) {
    GTEST_SKIP() << "a second open reaches another database";
  }
  AddAliceSession();
  auto second = GetParam().open(dir_.path());
  ASSERT_TRUE(second.has_value()) << second.error().detail;
  std::array<Store*, 2> stores = {&store(), second->get()};
  constexpr int kThreads = 8;
  std::vector<Result<RefreshResult>> results(kThreads, Fail(ErrorCode::kStorage, "not run"));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      RefreshRequest request = Request(HashNo(1), HashNo(100 + i), kT0 + seconds{60});
      request.grace = seconds{0};
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = stores[static_cast<std::size_t>(i % 2)]->RotateRefresh(request);
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  int rotated = 0;
  int reuse = 0;
  int revoked = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value()) << result.error().detail;
    rotated += result->outcome == RefreshOutcome::kRotated ? 1 : 0;
    reuse += result->outcome == RefreshOutcome::kReuseDetected ? 1 : 0;
    revoked += result->outcome == RefreshOutcome::kRevoked ? 1 : 0;
  }
  EXPECT_EQ(rotated, 1);
  EXPECT_GE(reuse, 1);
  EXPECT_EQ(rotated + reuse + revoked, kThreads);
  for (Store* each : stores) {
    auto stored = each->FindSession("sess-a");
    ASSERT_TRUE(stored.has_value() && stored->has_value());
    EXPECT_EQ((*stored)->generation, 2);
    EXPECT_EQ((*stored)->revoke_reason, "refresh_reuse");
  }
}

TEST_P(StoreContract, RevocationRacingRotationAlwaysEndsRevoked) {
  const std::int64_t alice = AddUser("alice");
  for (int round = 0; round < 16; ++round) {
    const std::string id = "race-" + std::to_string(round);
    AddSession(SessionOf(alice, id, HashNo(1000 + round)));
    std::latch start(2);
    Result<RefreshResult> rotated = Fail(ErrorCode::kStorage, "not run");
    Result<bool> revoked = Fail(ErrorCode::kStorage, "not run");
    std::thread rotator([&] {
      const RefreshRequest request =
          Request(HashNo(1000 + round), HashNo(2000 + round), kT0 + seconds{60});
      start.arrive_and_wait();
      rotated = store().RotateRefresh(request);
    });
    std::thread revoker([&] {
      start.arrive_and_wait();
      revoked = store().RevokeSession(id, kT0 + seconds{60}, "logout");
    });
    rotator.join();
    revoker.join();
    ASSERT_TRUE(rotated.has_value() && revoked.has_value());
    EXPECT_TRUE(*revoked);
    const Session stored = Find(id);
    EXPECT_EQ(stored.revoke_reason, "logout");
    if (rotated->outcome == RefreshOutcome::kRotated) {
      EXPECT_EQ(stored.generation, 2);
    } else {
      EXPECT_EQ(rotated->outcome, RefreshOutcome::kRevoked);
      EXPECT_EQ(stored.generation, 1);
    }
    EXPECT_EQ(
        Rotate(Request(HashNo(2000 + round), HashNo(3000 + round), kT0 + seconds{61})).outcome,
        rotated->outcome == RefreshOutcome::kRotated ? RefreshOutcome::kRevoked
                                                     : RefreshOutcome::kUnknownToken);
  }
}

// ---- revocation ----

}  // namespace
}  // namespace writ::store
