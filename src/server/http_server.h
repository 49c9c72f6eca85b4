// writ::server::HttpServer: HTTP/1.1 over TCP (optionally TLS) on Boost.Beast with C++20
// coroutines. Keep-alive, a small pool of I/O threads, two separate pools for work that
// waits (the store, password hashing), limits on head and body size and on time, graceful
// shutdown.
#ifndef WRIT_SERVER_HTTP_SERVER_H_
#define WRIT_SERVER_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/http_message.h"
#include "server/server_config.h"
#include "writ/result.h"

namespace writ::server {

// What the server calls for each complete request. Must be thread-safe.
class HttpHandler {
 public:
  // Where Handle runs for a request. The three places share no threads, so work of one
  // kind never waits behind another: a stalled store cannot delay token checks, and a
  // flood of logins cannot delay refreshes.
  enum class Placement {
    // On the connection's I/O thread, which serves many connections: only for work that
    // never waits on anything outside the process (no store, no Redis, no hashing).
    kInline,
    // On the store pool (HttpServerOptions::store_threads): work that may wait on the
    // store or Redis, up to their timeouts. While every thread of a pool is busy, its
    // requests queue.
    kStore,
    // On the hashing pool (HttpServerOptions::hashing_threads): CPU-bound work of tens of
    // milliseconds or more (password hashing), and whatever else the same request does.
    kHashing,
  };

  virtual ~HttpHandler() = default;
  // Where the server runs Handle(request). Called on an I/O thread before Handle: must be
  // cheap and must not block. An exception (or a value outside the enum) gets 500 without
  // calling Handle.
  virtual Placement PlacementOf(const HttpRequest& request) const = 0;
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (see HttpServer::port())
  std::size_t io_threads = 2;
  std::size_t store_threads = 8;    // Placement::kStore; sized like the store's connection pool
  std::size_t hashing_threads = 2;  // Placement::kHashing
  HttpLimits limits;
  // PEM certificate chain file and PEM private key bytes; both empty: plain HTTP.
  std::string tls_certificate_chain_file;
  std::string tls_private_key_pem;
  // Called on an I/O thread for each SIGHUP while RunUntilSignal() runs (issue 5: reloading
  // keys). Empty: SIGHUP is not handled and keeps its default action.
  std::function<void()> reload_hook;
};

// Answers, without calling the handler: 431 for a request head over max_header_bytes,
// 413 for a body over max_body_bytes (Content-Length checked before reading),
// 408 when the head or body does not arrive in time, 400 for unparsable requests
// (including conflicting Content-Length / Transfer-Encoding), then closes the
// connection. A keep-alive connection idle for idle_timeout is closed. Errors on one
// connection never affect others.
class HttpServer {
 public:
  // Binds and listens (kIo when the address is in use or invalid, kInvalidKey for bad TLS
  // material). Does not accept until Start().
  [[nodiscard]] static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options,
                                                                  std::shared_ptr<HttpHandler> handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (useful with port 0).
  std::uint16_t port() const;
  // Starts the I/O threads and returns.
  void Start();
  // Stops accepting, lets in-flight requests finish (up to `grace`), closes idle
  // connections, joins all threads. Safe to call from any thread, more than once; called
  // from one of the server's own threads (a handler), it starts the shutdown and returns.
  // A handler still running on the store or hashing pool after `grace` is waited for
  // (threads cannot be killed); one queued there and not yet started is dropped.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});
  // Blocks until SIGTERM or SIGINT arrives, then Shutdown(). For `writ serve`.
  void RunUntilSignal();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_HTTP_SERVER_H_
