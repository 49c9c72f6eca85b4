// writ::store PostgreSQL backend: the Store on a pool of connections to one PostgreSQL
// database, for several `writ serve` instances sharing their users and sessions.
#ifndef WRIT_STORE_PG_STORE_H_
#define WRIT_STORE_PG_STORE_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "store/store.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::store {

struct PostgresOptions {
  // A libpq connection string, "host=db.internal dbname=writ user=writ sslmode=verify-full"
  // or "postgresql://writ@db.internal/writ", WITHOUT a password: a password in it is
  // refused, so that it never sits in a config file or a process listing.
  std::string conninfo;
  // The password, read from a secret source; empty when the server authenticates otherwise
  // (client certificate, peer).
  SecretBytes password;
  std::size_t pool_size = 8;                           // connections at most; 1..256
  std::chrono::milliseconds acquire_timeout{5000};     // wait for a free connection
  std::chrono::milliseconds statement_timeout{5000};   // per statement (SET statement_timeout)
  std::chrono::milliseconds lock_timeout{5000};        // per row-lock wait (SET lock_timeout)
  std::chrono::seconds connect_timeout{5};             // libpq connect_timeout, unless conninfo sets it
};

// Checks a connection string as OpenPostgresStore would, without connecting: kInvalidArgument
// when it does not parse or holds a password (for configuration checks). The detail never
// repeats the string.
[[nodiscard]] Status CheckPostgresConninfo(const std::string& conninfo);

// Connects (one connection, to report a bad conninfo, password or server at once), applies
// the versioned schema migrations under an advisory lock, and returns the Store.
// kInvalidArgument for a conninfo that does not parse or holds a password, or a pool size
// outside 1..256; kStorage when PostgreSQL cannot be reached or refuses the login, a
// migration fails, or the database's schema is newer than this build. No detail ever
// carries the password or the conninfo's text.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace writ::store

#endif  // WRIT_STORE_PG_STORE_H_
