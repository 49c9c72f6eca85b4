// SqliteStore::RotateRefresh: the refresh decision of RefreshRequest (store_records.h),
// read and written inside one BEGIN IMMEDIATE transaction under the store's mutex, so no
// two calls can both rotate one generation and a revocation cannot interleave.
#include <algorithm>
#include <string>

#include "store/sqlite_store_impl.h"
#include "store/refresh_rules.h"

namespace writ::store {
namespace {

using refresh_rules::IsExpired;
using refresh_rules::IsInGraceWindow;
using refresh_rules::kReuseReason;

}  // namespace

Result<std::optional<SqliteStore::IssuedToken>> SqliteStore::FindIssuedToken(
    const TokenHash& hash) {
  auto select =
      db_.Prepare("SELECT session_id, generation, rowid FROM refresh_tokens WHERE hash = ?1");
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->BindBlob(1, hash).Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<IssuedToken>{};
  }
  IssuedToken token;
  token.session_id = select->ColumnText(0);
  token.generation = select->ColumnInt64(1);
  token.row = select->ColumnInt64(2);
  return std::optional<IssuedToken>{std::move(token)};
}

// Issues `request.new_hash` as `new_generation` and makes it the session's live token.
// An ordinary rotation opens a new grace window; a grace rotation keeps the old one, so the
// window never slides.
Status SqliteStore::ApplyRotation(StoredSession& stored, const RefreshRequest& request,
                                  std::int64_t new_generation, bool in_grace) {
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

  if (auto issued = InsertRefreshToken(request.new_hash, session.id, new_generation, request.now,
                                       request.ip, request.user_agent);
      !issued) {
    return issued;
  }
  auto update = db_.Prepare(
      "UPDATE sessions SET generation = ?1, grace_from_generation = ?2, rotated_at = ?3, "
      "current_hash = ?4, last_used_at = ?5, idle_expires_at = ?6, ip = ?7, user_agent = ?8 "
      "WHERE id = ?9");
  if (!update) {
    return tl::unexpected(update.error());
  }
  return update->BindInt64(1, session.generation)
      .BindInt64(2, session.grace_from_generation)
      .BindTime(3, session.rotated_at)
      .BindBlob(4, stored.current_hash)
      .BindTime(5, session.last_used_at)
      .BindTime(6, session.idle_expires_at)
      .BindText(7, session.ip)
      .BindText(8, session.user_agent)
      .BindText(9, session.id)
      .Run();
}

// A spent token came back: revokes the session and reports who spent the token first — the
// request that issued the next token of the session (rowid order is issue order: SQLite
// gives a new row a rowid above every existing one, and the session's rows all exist).
Status SqliteStore::MarkReuse(StoredSession& stored, const IssuedToken& presented, Seconds now,
                              RefreshResult& result) {
  auto select = db_.Prepare(
      "SELECT ip, user_agent FROM refresh_tokens WHERE session_id = ?1 AND rowid > ?2 "
      "ORDER BY rowid LIMIT 1");
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->BindText(1, presented.session_id).BindInt64(2, presented.row).Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (*row) {
    result.first_use_ip = select->ColumnText(0);
    result.first_use_user_agent = select->ColumnText(1);
  }
  auto revoked = MarkRevoked(stored.session.id, now, kReuseReason);
  if (!revoked) {
    return tl::unexpected(revoked.error());
  }
  stored.session.revoked_at = now;
  stored.session.revoke_reason = kReuseReason;
  return {};
}

Result<RefreshResult> SqliteStore::DecideRefresh(const RefreshRequest& request) {
  RefreshResult result;
  auto presented = FindIssuedToken(request.presented_hash);
  if (!presented) {
    return tl::unexpected(presented.error());
  }
  if (!*presented) {
    result.outcome = RefreshOutcome::kUnknownToken;
    return result;
  }
  const IssuedToken& token = **presented;
  auto loaded = LoadSession(token.session_id);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  if (!*loaded) {
    return Fail(ErrorCode::kStorage, "sqlite: a refresh token outlived its session");
  }
  StoredSession& stored = **loaded;
  const Session& session = stored.session;
  Status applied;
  if (session.revoked_at.has_value()) {
    result.outcome = RefreshOutcome::kRevoked;
  } else if (IsExpired(session, request.now)) {
    result.outcome = RefreshOutcome::kExpired;
  } else if (token.generation == session.generation &&
             request.presented_hash == stored.current_hash) {
    result.outcome = RefreshOutcome::kRotated;
    applied = ApplyRotation(stored, request, token.generation + 1, /*in_grace=*/false);
  } else if (IsInGraceWindow(session, token.generation, request)) {
    result.outcome = RefreshOutcome::kRotatedInGrace;
    applied = ApplyRotation(stored, request, token.generation + 1, /*in_grace=*/true);
  } else {
    result.outcome = RefreshOutcome::kReuseDetected;
    applied = MarkReuse(stored, token, request.now, result);
  }
  if (!applied) {
    return tl::unexpected(applied.error());
  }
  result.session = std::move(stored.session);
  return result;
}

Result<RefreshResult> SqliteStore::RotateRefresh(const RefreshRequest& request) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::BeginImmediate(db_);
  if (!transaction) {
    return tl::unexpected(transaction.error());
  }
  auto decided = DecideRefresh(request);
  if (!decided) {
    return decided;  // the transaction rolls back
  }
  if (auto committed = transaction->Commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  return decided;
}

}  // namespace writ::store
