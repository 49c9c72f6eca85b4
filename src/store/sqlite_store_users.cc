// SqliteStore: users. Roles are kept as one comma-separated TEXT column; each role matches
// [a-z0-9_-]+, so the separator cannot occur inside one.
#include <string>
#include <string_view>
#include <vector>

#include "store/role_codec.h"
#include "store/sqlite_store_impl.h"

namespace writ::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, username, password_hash, roles, disabled, created_at";

User ReadUser(const sqlite::Statement& row) {
  User user;
  user.id = row.ColumnInt64(0);
  user.username = row.ColumnText(1);
  user.password_hash = row.ColumnText(2);
  user.roles = DecodeRoles(row.ColumnText(3));
  user.disabled = row.ColumnBool(4);
  user.created_at = row.ColumnTime(5);
  return user;
}

std::string SelectUsersWhere(std::string_view condition) {
  std::string sql = "SELECT ";
  sql += kUserColumns;
  sql += " FROM users ";
  sql += condition;
  return sql;
}

}  // namespace

Result<std::optional<User>> SqliteStore::QueryOneUser(sqlite::Statement& select) {
  auto row = select.Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<User>{};
  }
  return std::optional<User>{ReadUser(select)};
}

Result<std::optional<User>> SqliteStore::CreateUser(const NewUser& user) {
  auto roles = EncodeRoles(user.roles);
  if (!roles) {
    return tl::unexpected(roles.error());
  }
  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare(
      "INSERT INTO users (username, password_hash, roles, disabled, created_at) "
      "VALUES (?1, ?2, ?3, 0, ?4) ON CONFLICT (username) DO NOTHING");
  if (!insert) {
    return tl::unexpected(insert.error());
  }
  auto inserted = insert->BindText(1, user.username)
                      .BindText(2, user.password_hash)
                      .BindText(3, *roles)
                      .BindTime(4, user.created_at)
                      .Run();
  if (!inserted) {
    return tl::unexpected(inserted.error());
  }
  if (db_.Changes() == 0) {
    return std::optional<User>{};  // the username is taken
  }
  User created;
  created.id = db_.LastInsertRowId();
  created.username = user.username;
  created.password_hash = user.password_hash;
  created.roles = user.roles;
  created.disabled = false;
  created.created_at = user.created_at;
  return std::optional<User>{std::move(created)};
}

Result<std::optional<User>> SqliteStore::FindUserByName(const std::string& username) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(SelectUsersWhere("WHERE username = ?1"));
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindText(1, username);
  return QueryOneUser(*select);
}

Result<std::optional<User>> SqliteStore::FindUserById(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(SelectUsersWhere("WHERE id = ?1"));
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindInt64(1, user_id);
  return QueryOneUser(*select);
}

Result<std::vector<User>> SqliteStore::ListUsers() {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(SelectUsersWhere("ORDER BY id"));
  if (!select) {
    return tl::unexpected(select.error());
  }
  std::vector<User> users;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return users;
    }
    users.push_back(ReadUser(*select));
  }
}

Result<bool> SqliteStore::SetPasswordHash(std::int64_t user_id, const std::string& password_hash) {
  std::lock_guard lock(mutex_);
  auto update = db_.Prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2");
  if (!update) {
    return tl::unexpected(update.error());
  }
  if (auto updated = update->BindText(1, password_hash).BindInt64(2, user_id).Run(); !updated) {
    return tl::unexpected(updated.error());
  }
  return db_.Changes() > 0;
}

Result<bool> SqliteStore::SetDisabled(std::int64_t user_id, bool disabled) {
  std::lock_guard lock(mutex_);
  auto update = db_.Prepare("UPDATE users SET disabled = ?1 WHERE id = ?2");
  if (!update) {
    return tl::unexpected(update.error());
  }
  if (auto updated = update->BindBool(1, disabled).BindInt64(2, user_id).Run(); !updated) {
    return tl::unexpected(updated.error());
  }
  return db_.Changes() > 0;
}

Result<bool> SqliteStore::DeleteUnusedUser(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare(
      "DELETE FROM users WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = ?1)");
  if (!remove) {
    return tl::unexpected(remove.error());
  }
  if (auto removed = remove->BindInt64(1, user_id).Run(); !removed) {
    return tl::unexpected(removed.error());
  }
  return db_.Changes() > 0;
}

Result<bool> SqliteStore::SetRoles(std::int64_t user_id, const std::vector<std::string>& roles) {
  auto encoded = EncodeRoles(roles);
  if (!encoded) {
    return tl::unexpected(encoded.error());
  }
  std::lock_guard lock(mutex_);
  auto update = db_.Prepare("UPDATE users SET roles = ?1 WHERE id = ?2");
  if (!update) {
    return tl::unexpected(update.error());
  }
  if (auto updated = update->BindText(1, *encoded).BindInt64(2, user_id).Run(); !updated) {
    return tl::unexpected(updated.error());
  }
  return db_.Changes() > 0;
}

}  // namespace writ::store
