// PostgresStore::RotateRefresh: the refresh decision of RefreshRequest (store_records.h),
// mirroring sqlite_store_refresh.cc, inside one transaction that first locks the session's
// row (SELECT … FOR UPDATE). Every rotation and revocation of a session takes that lock, on
// whatever connection or instance it runs, so no two calls can both rotate one generation
// and a revocation cannot interleave: the second waits, then (READ COMMITTED) reads the row
// the first committed and decides on it.
#include <algorithm>
#include <string>

#include <pqxx/transaction>

#include "store/pg_store_impl.h"
#include "store/refresh_rules.h"

namespace writ::store {
namespace {

using refresh_rules::IsExpired;
using refresh_rules::IsInGraceWindow;
using refresh_rules::kReuseReason;

// The session a presented hash was issued for, locked, with the token's generation and
// issue order, in one statement (so a concurrent prune cannot split the two reads). The
// token's columns are renamed so the session's need no qualifier.
std::string SelectLockedSessionByToken() {
  std::string sql = "SELECT ";
  sql += PostgresStore::SessionColumns();
  sql += ", token_generation, token_seq FROM sessions JOIN (SELECT session_id, "
         "generation AS token_generation, seq AS token_seq FROM refresh_tokens "
         "WHERE hash = $1) token ON token.session_id = sessions.id FOR UPDATE OF sessions";
  return sql;
}

}  // namespace

// Issues `request.new_hash` as `new_generation` and makes it the session's live token.
// An ordinary rotation opens a new grace window; a grace rotation keeps the old one.
void PostgresStore::ApplyRotation(pqxx::transaction_base& transaction, StoredSession& stored,
                                  const RefreshRequest& request, std::int64_t new_generation,
                                  bool in_grace) {
  Session& session = stored.session;
  session.generation = new_generation;
  if (!in_grace) {
    session.grace_from_generation = new_generation - 1;
    session.rotated_at = request.now;
  }
  session.last_used_at = request.now;
  session.idle_expires_at = std::min(request.now + request.idle_ttl, session.absolute_expires_at);
  session.ip = request.ip;
  session.user_agent = request.user_agent;
  stored.current_hash = request.new_hash;

  pg::InsertRefreshToken(transaction, request.new_hash, session.id, new_generation, request.now,
                         request.ip, request.user_agent);
  transaction.exec_params(
      "UPDATE sessions SET generation = $1, grace_from_generation = $2, rotated_at = $3, "
      "current_hash = $4, last_used_at = $5, idle_expires_at = $6, ip = $7, user_agent = $8 "
      "WHERE id = $9",
      session.generation, session.grace_from_generation, pg::ToUnixSeconds(session.rotated_at),
      pg::Bytes(stored.current_hash), pg::ToUnixSeconds(session.last_used_at),
      pg::ToUnixSeconds(session.idle_expires_at), session.ip, pg::Bytes(session.user_agent),
      session.id);
}

// A spent token came back: revokes the session and reports who spent it first — the
// request that was issued the next token of the session (seq order is issue order: the
// session's row lock serialises its rotations, so their seq values rise in issue order).
void PostgresStore::MarkReuse(pqxx::transaction_base& transaction, StoredSession& stored,
                              const IssuedToken& presented, Seconds now, RefreshResult& result) {
  const pqxx::result next = transaction.exec_params(
      "SELECT ip, user_agent FROM refresh_tokens WHERE session_id = $1 AND seq > $2 "
      "ORDER BY seq LIMIT 1",
      presented.session_id, presented.seq);
  if (!next.empty()) {
    result.first_use_ip = next[0][0].as<std::string>();
    result.first_use_user_agent = pg::BytesOf(next[0][1]);
  }
  (void)pg::MarkRevoked(transaction, stored.session.id, now, kReuseReason);
  stored.session.revoked_at = now;
  stored.session.revoke_reason = kReuseReason;
}

Result<RefreshResult> PostgresStore::DecideRefresh(pqxx::transaction_base& transaction,
                                                   const RefreshRequest& request) {
  RefreshResult result;
  const pqxx::result rows =
      transaction.exec_params(SelectLockedSessionByToken(), pg::Bytes(request.presented_hash));
  if (rows.empty()) {
    // Never issued, or its session was pruned (the chain goes with it).
    result.outcome = RefreshOutcome::kUnknownToken;
    return result;
  }
  const pqxx::row& row = rows[0];
  StoredSession stored{ReadSession(row), pg::BytesOf(row[14])};
  IssuedToken token{stored.session.id, row[15].as<std::int64_t>(), row[16].as<std::int64_t>()};
  const Session& session = stored.session;
  if (session.revoked_at.has_value()) {
    result.outcome = RefreshOutcome::kRevoked;
  } else if (IsExpired(session, request.now)) {
    result.outcome = RefreshOutcome::kExpired;
  } else if (token.generation == session.generation &&
             request.presented_hash == stored.current_hash) {
    result.outcome = RefreshOutcome::kRotated;
    ApplyRotation(transaction, stored, request, token.generation + 1, /*in_grace=*/false);
  } else if (IsInGraceWindow(session, token.generation, request)) {
    result.outcome = RefreshOutcome::kRotatedInGrace;
    ApplyRotation(transaction, stored, request, token.generation + 1, /*in_grace=*/true);
  } else {
    result.outcome = RefreshOutcome::kReuseDetected;
    MarkReuse(transaction, stored, token, request.now, result);
  }
  result.session = std::move(stored.session);
  return result;
}

Result<RefreshResult> PostgresStore::RotateRefresh(const RefreshRequest& request) {
  return pool_->Run("rotate refresh", [&](pqxx::connection_base& connection)
                                          -> Result<RefreshResult> {
    pqxx::work transaction(connection);
    auto decided = DecideRefresh(transaction, request);
    if (!decided) {
      return decided;  // the transaction rolls back
    }
    transaction.commit();
    return decided;
  });
}

}  // namespace writ::store
