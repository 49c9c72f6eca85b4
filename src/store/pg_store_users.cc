// PostgresStore: users. Roles are kept as one comma-separated TEXT column, as in SQLite;
// each role matches [a-z0-9_-]+, so the separator cannot occur inside one.
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "store/role_codec.h"
#include "store/pg_store_impl.h"

namespace writ::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, username, password_hash, roles, disabled, created_at";

User ReadUser(const pqxx::row& row) {
  User user;
  user.id = row[0].as<std::int64_t>();
  user.username = row[1].as<std::string>();
  user.password_hash = row[2].as<std::string>();
  user.roles = DecodeRoles(row[3].as<std::string>());
  user.disabled = row[4].as<bool>();
  user.created_at = pg::FromUnixSeconds(row[5].as<std::int64_t>());
  return user;
}

std::string SelectUsersWhere(std::string_view condition) {
  std::string sql = "SELECT ";
  sql += kUserColumns;
  sql += " FROM users ";
  sql += condition;
  return sql;
}

template <typename... Args>
Result<std::optional<User>> QueryOneUser(pg::Pool& pool, const std::string& sql,
                                         const Args&... args) {
  return pool.Run("find user", [&](pqxx::connection_base& connection) {
    pqxx::nontransaction transaction(connection);
    const pqxx::result rows = transaction.exec_params(sql, args...);
    if (rows.empty()) {
      return Result<std::optional<User>>{std::nullopt};
    }
    return Result<std::optional<User>>{ReadUser(rows[0])};
  });
}

// Runs one UPDATE of a user's row; true when the row exists.
template <typename... Args>
Result<bool> UpdateUser(pg::Pool& pool, std::string_view step, const char* sql,
                        const Args&... args) {
  return pool.Run(step, [&](pqxx::connection_base& connection) -> Result<bool> {
    pqxx::nontransaction transaction(connection);
    return transaction.exec_params(sql, args...).affected_rows() > 0;
  });
}

}  // namespace

Result<std::optional<User>> PostgresStore::CreateUser(const NewUser& user) {
  auto roles = EncodeRoles(user.roles);
  if (!roles) {
    return tl::unexpected(roles.error());
  }
  return pool_->Run("create user", [&](pqxx::connection_base& connection)
                                       -> Result<std::optional<User>> {
    pqxx::nontransaction transaction(connection);
    const pqxx::result rows = transaction.exec_params(
        "INSERT INTO users (username, password_hash, roles, disabled, created_at) "
        "VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (username) DO NOTHING RETURNING id",
        user.username, user.password_hash, *roles, pg::ToUnixSeconds(user.created_at));
    if (rows.empty()) {
      return std::optional<User>{};  // the username is taken
    }
    User created;
    created.id = rows[0][0].as<std::int64_t>();
    created.username = user.username;
    created.password_hash = user.password_hash;
    created.roles = user.roles;
    created.disabled = false;
    created.created_at = user.created_at;
    return std::optional<User>{std::move(created)};
  });
}

Result<std::optional<User>> PostgresStore::FindUserByName(const std::string& username) {
  return QueryOneUser(*pool_, SelectUsersWhere("WHERE username = $1"), username);
}

Result<std::optional<User>> PostgresStore::FindUserById(std::int64_t user_id) {
  return QueryOneUser(*pool_, SelectUsersWhere("WHERE id = $1"), user_id);
}

Result<std::vector<User>> PostgresStore::ListUsers() {
  return pool_->Run("list users", [](pqxx::connection_base& connection)
                                      -> Result<std::vector<User>> {
    pqxx::nontransaction transaction(connection);
    std::vector<User> users;
    for (const pqxx::row& row : transaction.exec(SelectUsersWhere("ORDER BY id"))) {
      users.push_back(ReadUser(row));
    }
    return users;
  });
}

Result<bool> PostgresStore::SetPasswordHash(std::int64_t user_id,
                                            const std::string& password_hash) {
  return UpdateUser(*pool_, "set password hash", "UPDATE users SET password_hash = $1 WHERE id = $2",
                    password_hash, user_id);
}

Result<bool> PostgresStore::SetDisabled(std::int64_t user_id, bool disabled) {
  return UpdateUser(*pool_, "set disabled", "UPDATE users SET disabled = $1 WHERE id = $2",
                    disabled, user_id);
}

Result<bool> PostgresStore::DeleteUnusedUser(std::int64_t user_id) {
  return UpdateUser(*pool_, "delete unused user",
                    "DELETE FROM users WHERE id = $1 "
                    "AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = $1)",
                    user_id);
}

Result<bool> PostgresStore::SetRoles(std::int64_t user_id, const std::vector<std::string>& roles) {
  auto encoded = EncodeRoles(roles);
  if (!encoded) {
    return tl::unexpected(encoded.error());
  }
  return UpdateUser(*pool_, "set roles", "UPDATE users SET roles = $1 WHERE id = $2", *encoded,
                    user_id);
}

}  // namespace writ::store
