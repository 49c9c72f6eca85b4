// OpenPostgresStore and PostgresStore's health check. The other methods live in
// pg_store_{users,sessions,refresh,audit}.cc.
#include "store/pg_store.h"

#include <libpq-fe.h>
#include <sodium.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/nontransaction>

#include "store/pg_migrations.h"
#include "store/pg_store_impl.h"

namespace writ::store {
namespace {

constexpr std::size_t kMaxPoolSize = 256;

// libpq's conninfo quoting: 'value' with \ and ' escaped by a backslash.
void AppendQuoted(std::string& out, std::string_view value) {
  out += '\'';
  for (const char c : value) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  out += '\'';
}

void AppendOption(std::string& out, std::string_view keyword, std::string_view value) {
  if (!out.empty()) {
    out += ' ';
  }
  out += keyword;
  out += '=';
  AppendQuoted(out, value);
}

// The conninfo libpq will get: the options's conninfo (key=value or URI form) re-written as
// key='value' pairs, with connect_timeout unless it sets one and the password from its
// separate source. Secret because of the password. kInvalidArgument when the conninfo does
// not parse (libpq's message is not repeated: it quotes the text) or names a password.
Result<SecretBytes> ComposeConninfo(const PostgresOptions& options) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.conninfo.c_str(), &parse_error);
  if (parse_error != nullptr) {
    PQfreemem(parse_error);
  }
  if (parsed == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "postgres: the connection string does not parse (libpq conninfo: "
                "\"host=… dbname=… user=…\" or a postgresql:// URI)");
  }
  // Defaults for what the operator did not set: a connect timeout, and TCP keepalives plus
  // tcp_user_timeout (libpq 12+), so that a network partition fails a call within about
  // 15-25 s instead of waiting for TCP to give up (minutes): statement_timeout is enforced
  // by the server, which a partition cuts off.
  std::vector<std::pair<std::string_view, std::string>> defaults = {
      {"connect_timeout", std::to_string(options.connect_timeout.count())},
      {"keepalives", "1"},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "5"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", "15000"},
  };
  std::string composed;
  bool has_password = false;
  for (const PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) {
      continue;
    }
    const std::string_view keyword = option->keyword;
    has_password = has_password || keyword == "password";
    std::erase_if(defaults, [&](const auto& entry) { return entry.first == keyword; });
    AppendOption(composed, keyword, option->val);
  }
  PQconninfoFree(parsed);
  if (has_password) {
    return Fail(ErrorCode::kInvalidArgument,
                "postgres: the connection string holds a password; give it through its own "
                "secret source instead");
  }
  for (const auto& [keyword, value] : defaults) {
    AppendOption(composed, keyword, value);
  }
  if (!options.password.empty()) {
    const auto password = options.password.expose_secret();
    AppendOption(composed, "password",
                 std::string_view(reinterpret_cast<const char*>(password.data()),
                                  password.size()));
  }
  SecretBytes secret = SecretBytes::FromString(composed);
  sodium_memzero(composed.data(), composed.size());
  return secret;
}

}  // namespace

Status CheckPostgresConninfo(const std::string& conninfo) {
  if (conninfo.find('\0') != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "postgres: the connection string contains NUL");
  }
  PostgresOptions options;
  options.conninfo = conninfo;
  auto composed = ComposeConninfo(options);
  if (!composed) {
    return tl::unexpected(composed.error());
  }
  return {};
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  if (options.pool_size == 0 || options.pool_size > kMaxPoolSize) {
    return Fail(ErrorCode::kInvalidArgument, "postgres: the pool size must be 1..256");
  }
  if (auto checked = CheckPostgresConninfo(options.conninfo); !checked) {
    return tl::unexpected(checked.error());
  }
  auto conninfo = ComposeConninfo(options);
  if (!conninfo) {
    return tl::unexpected(conninfo.error());
  }
  pg::PoolOptions pool_options;
  pool_options.conninfo = std::move(*conninfo);
  pool_options.max_size = options.pool_size;
  pool_options.acquire_timeout = options.acquire_timeout;
  pool_options.statement_timeout = options.statement_timeout;
  pool_options.lock_timeout = options.lock_timeout;
  auto pool = pg::Pool::Create(std::move(pool_options));
  if (!pool) {
    return tl::unexpected(pool.error());
  }
  auto migrated = (*pool)->Run("migrations", [](pqxx::connection_base& connection) {
    return pg::ApplyMigrations(connection);
  });
  if (!migrated) {
    return tl::unexpected(migrated.error());
  }
  return std::make_unique<PostgresStore>(std::move(*pool));
}

Status PostgresStore::Ping() {
  return pool_->Run("ping", [](pqxx::connection_base& connection) -> Status {
    pqxx::nontransaction transaction(connection);
    transaction.exec("SELECT 1");
    return {};
  });
}

}  // namespace writ::store
