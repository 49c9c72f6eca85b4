// writ::server::ServerApp: `writ serve` assembled from a validated ServerConfig — the store,
// the audit log, the auth services, the HTTP server and the housekeeping timer.
#ifndef WRIT_SERVER_SERVER_APP_H_
#define WRIT_SERVER_SERVER_APP_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/auth_handler.h"
#include "server/http_server.h"
#include "server/server_config.h"
#include "store/store.h"
#include "writ/result.h"

namespace writ::server {

// Opens the store named by `store` ("sqlite:PATH"); kInvalidArgument for other schemes.
[[nodiscard]] Result<std::shared_ptr<store::Store>> OpenStore(const std::string& store);

class ServerApp {
 public:
  // Opens the store (applying migrations), loads the revocation list, binds the listen
  // address. Nothing is served until Run().
  [[nodiscard]] static Result<std::unique_ptr<ServerApp>> Create(ServerConfig config,
                                                                 std::shared_ptr<const Clock> clock);
  ~ServerApp();

  std::uint16_t port() const { return http_->port(); }
  // Serves until SIGTERM/SIGINT, then shuts down gracefully (in-flight requests finish).
  void Run();

 private:
  ServerApp() = default;
  void Housekeeping();

  AuthServices services_;
  std::shared_ptr<RevocationList> revocations_;
  std::unique_ptr<HttpServer> http_;
  std::thread housekeeping_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_SERVER_APP_H_
