#include "store/pg_pool.h"

#include <sodium.h>

#include <string>

#include <pqxx/connection>
#include <pqxx/nontransaction>

namespace writ::store::pg {
namespace {

// Opens one connection with `conninfo` (libpq parses it; the password is in it).
std::unique_ptr<pqxx::connection> OpenConnection(const SecretBytes& conninfo) {
  const auto bytes = conninfo.expose_secret();
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  struct Wipe {
    std::string& text;
    ~Wipe() { sodium_memzero(text.data(), text.size()); }
  } wipe{text};
  return std::make_unique<pqxx::connection>(text);
}

// "SET name = <milliseconds>": the values are integers, never text from outside.
void SetTimeout(pqxx::connection_base& connection, const char* name,
                std::chrono::milliseconds timeout) {
  pqxx::nontransaction transaction(connection);
  transaction.exec(std::string("SET ") + name + " = " + std::to_string(timeout.count()));
}

}  // namespace

// ---- Lease ----

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      epoch_(other.epoch_),
      broken_(other.broken_) {}

Pool::Lease::~Lease() {
  if (pool_ != nullptr) {
    pool_->Release(std::move(connection_), epoch_, broken_);
  }
}

// ---- Pool ----

Result<std::unique_ptr<Pool>> Pool::Create(PoolOptions options) {
  if (options.max_size == 0) {
    return Fail(ErrorCode::kInvalidArgument, "postgres: the pool size must be at least 1");
  }
  std::unique_ptr<Pool> pool(new Pool(std::move(options)));
  auto first = pool->Acquire();
  if (!first) {
    return tl::unexpected(first.error());
  }
  return pool;
}

Pool::~Pool() = default;

std::size_t Pool::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

Result<std::unique_ptr<pqxx::connection>> Pool::Connect() const {
  try {
    auto connection = OpenConnection(options_.conninfo);
    SetTimeout(*connection, "statement_timeout", options_.statement_timeout);
    SetTimeout(*connection, "lock_timeout", options_.lock_timeout);
    // Server notices ("relation … already exists, skipping") would go to stderr.
    pqxx::nontransaction(*connection).exec("SET client_min_messages = warning");
    return connection;
  } catch (...) {
    ConnectionFate ignored = ConnectionFate::kBroken;
    return CurrentExceptionToError("connect", ignored);
  }
}

Result<Pool::Lease> Pool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      Idle idle = std::move(idle_.back());
      idle_.pop_back();
      if (idle.epoch == epoch_) {
        return Lease(this, std::move(idle.connection), idle.epoch);
      }
      --open_;  // opened before a connection was lost: presumed dead too
      lock.unlock();
      idle.connection.reset();
      lock.lock();
    }
    if (open_ < options_.max_size) {
      ++open_;
      const std::uint64_t epoch = epoch_;
      lock.unlock();
      auto connection = Connect();
      if (!connection) {
        lock.lock();
        --open_;
        released_.notify_one();
        return tl::unexpected(connection.error());
      }
      return Lease(this, std::move(*connection), epoch);
    }
    if (released_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_size) {
      return Fail(ErrorCode::kStorage,
                  "postgres: pool exhausted: all " + std::to_string(options_.max_size) +
                      " connections stayed busy for " +
                      std::to_string(options_.acquire_timeout.count()) + " ms");
    }
  }
}

void Pool::Release(std::unique_ptr<pqxx::connection> connection, std::uint64_t epoch,
                   bool broken) {
  std::vector<Idle> stale;
  {
    std::lock_guard lock(mutex_);
    if (broken && epoch == epoch_) {
      ++epoch_;  // the server probably dropped every connection: do not hand them out
    }
    if (broken || epoch != epoch_ || connection == nullptr || !connection->is_open()) {
      --open_;
      stale.push_back(Idle{std::move(connection), epoch});
    } else {
      idle_.push_back(Idle{std::move(connection), epoch});
    }
    released_.notify_one();
  }
  // Closing a connection talks to the server: done outside the lock.
}

}  // namespace writ::store::pg
