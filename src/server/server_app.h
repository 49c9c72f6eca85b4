// writ::server::ServerApp: `writ serve` assembled from a validated ServerConfig — the store,
// the audit log, the auth services, the HTTP server and the housekeeping timer.
#ifndef WRIT_SERVER_SERVER_APP_H_
#define WRIT_SERVER_SERVER_APP_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/auth_handler.h"
#include "server/http_server.h"
#include "server/revocation_feed.h"
#include "server/server_config.h"
#include "store/store.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::server {

// Opens the store named by `store`: "sqlite:PATH", or "postgres:CONNINFO" (a libpq
// connection string without a password) logging in with `password` (empty: none) through a
// pool of at most `pool_size` connections. kInvalidArgument for other schemes or a
// conninfo holding a password; kStorage when the store cannot be opened.
[[nodiscard]] Result<std::shared_ptr<store::Store>> OpenStore(const std::string& store,
                                                              const SecretBytes& password = {},
                                                              std::size_t pool_size = 8);

class ServerApp {
 public:
  // Opens the store (applying migrations), loads the revocation list, binds the listen
  // address. Nothing is served until Run().
  [[nodiscard]] static Result<std::unique_ptr<ServerApp>> Create(ServerConfig config,
                                                                 std::shared_ptr<const Clock> clock);
  ~ServerApp();

  std::uint16_t port() const { return http_->port(); }
  // Serves until SIGTERM/SIGINT, then shuts down gracefully (in-flight requests finish).
  // SIGHUP reloads (ReloadKeys) on the housekeeping thread, off the I/O threads, because a
  // source may be an exec: command that takes seconds.
  void Run();

  // Re-reads tokens.signing_keys (and each tokens.scoped_signing_keys set) from its source
  // under the start's rules and applies it:
  // a rotated set signs with its new active key at once, tokens of keys still listed keep
  // verifying, sessions and refresh tokens are untouched. The refresh-hash and CSRF keys are
  // re-read only to report a change (applying one would end every session: restart for
  // that). On failure the current keys stay in force. Writes what happened to stderr
  // (kids and sources, never key material) and returns it.
  Status ReloadKeys();

 private:
  // One scoped key set of ReloadKeys; failures keep that set's current keys.
  Status ReloadScopedKeys(const ScopedKeys& scoped, std::vector<std::string>& warnings);

 public:

 private:
  ServerApp() = default;
  void Housekeeping();
  void PruneExpired();
  // Learns the revocations other instances wrote to the shared store (every
  // kRevocationPollInterval on the housekeeping thread).
  void PollRevocations();

  AuthServices services_;
  std::shared_ptr<RevocationList> revocations_;
  std::shared_ptr<RevocationFeed> revocation_feed_;  // null without `redis`
  bool revocation_poll_failing_ = false;             // housekeeping thread only
  std::shared_ptr<AccessTokens> access_tokens_;  // services_ holds the same, read-only
  std::shared_ptr<JwksPublisher> jwks_;
  std::shared_ptr<ServiceAssertions> assertions_;
  std::map<std::string, std::shared_ptr<JwksPublisher>, std::less<>> scoped_jwks_;
  bool reload_requested_ = false;  // guarded by mutex_
  std::unique_ptr<HttpServer> http_;
  std::thread housekeeping_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_SERVER_APP_H_
