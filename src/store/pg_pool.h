// writ::store::pg::Pool: a bounded pool of libpqxx connections to one PostgreSQL database.
//
// At most `max_size` connections are open; Acquire() hands out an idle one, opens a new
// one while under the bound, or else waits up to `acquire_timeout` and then fails with
// kStorage "pool exhausted" — a stuck database slows callers down, it never hangs them.
// Every new connection sets statement_timeout and lock_timeout, so no statement (and no
// wait for a row lock held elsewhere) runs longer than configured.
//
// Recovery: a connection that fails as lost (pqxx::broken_connection, or a COMMIT whose
// outcome is unknown) is discarded together with every connection idle at that moment
// (after a PostgreSQL restart or a pg_terminate_backend they are all dead), and the next
// Acquire() reconnects. So after an outage one call fails and the next succeeds, without a
// restart of the server.
//
// Thread-safe. Connections are used by one thread at a time (the holder of the Lease).
#ifndef WRIT_STORE_PG_POOL_H_
#define WRIT_STORE_PG_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <pqxx/connection>

#include "store/pg_errors.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"


namespace writ::store::pg {

struct PoolOptions {
  // The complete libpq conninfo, password included: secret, never printed.
  SecretBytes conninfo;
  std::size_t max_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds statement_timeout{5000};  // 0 disables
  std::chrono::milliseconds lock_timeout{5000};       // 0 disables
};

class Pool {
 public:
  // A connection on loan; returned to the pool (or discarded when marked broken) on
  // destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& connection() { return *connection_; }
    // The connection is lost: discard it (and the idle ones) instead of returning it.
    void MarkBroken() { broken_ = true; }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> connection, std::uint64_t epoch)
        : pool_(pool), connection_(std::move(connection)), epoch_(epoch) {}

    Pool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    std::uint64_t epoch_;
    bool broken_ = false;
  };

  // A pool with one connection opened at once, so that a wrong conninfo, password or
  // unreachable server is reported here. kStorage when that connection fails;
  // kInvalidArgument for max_size 0.
  [[nodiscard]] static Result<std::unique_ptr<Pool>> Create(PoolOptions options);

  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection, or kStorage: "pool exhausted" after acquire_timeout, or the failure to
  // open a new connection.
  [[nodiscard]] Result<Lease> Acquire();

  // Runs `body(connection)` on a leased connection; `body` returns a Result<T>. Any
  // exception it throws becomes kStorage "postgres <step>: …" (pg_errors.h), and a lost
  // connection is discarded.
  template <typename Body>
  auto Run(std::string_view step, Body&& body)
      -> std::invoke_result_t<Body&, pqxx::connection_base&> {
    auto lease = Acquire();
    if (!lease) {
      return tl::unexpected(lease.error());
    }
    try {
      return body(lease->connection());
    } catch (...) {
      ConnectionFate fate = ConnectionFate::kReusable;
      auto error = CurrentExceptionToError(step, fate);
      if (fate == ConnectionFate::kBroken) {
        lease->MarkBroken();
      }
      return error;
    }
  }

  // Open connections (idle and leased), for tests.
  [[nodiscard]] std::size_t open_count() const;

 private:
  // Owned as the concrete pqxx::connection: libpqxx 6's connection_base has no virtual
  // destructor.
  struct Idle {
    std::unique_ptr<pqxx::connection> connection;
    std::uint64_t epoch;
  };

  explicit Pool(PoolOptions options) : options_(std::move(options)) {}
  Result<std::unique_ptr<pqxx::connection>> Connect() const;
  void Release(std::unique_ptr<pqxx::connection> connection, std::uint64_t epoch,
               bool broken);

  const PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<Idle> idle_;       // guarded by mutex_
  std::size_t open_ = 0;         // guarded by mutex_: idle + leased + being opened
  std::uint64_t epoch_ = 0;      // guarded by mutex_: bumped when a connection is lost
};

}  // namespace writ::store::pg

#endif  // WRIT_STORE_PG_POOL_H_
