// Implementation of HttpServer (see http_server.h): binding, the accept loop, the I/O,
// store and hashing thread pools, signals and graceful shutdown. Connections live in
// http_connection.cc, TLS settings in tls_context.cc.
#include "server/http_server.h"

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/http_connection.h"
#include "server/tls_context.h"

namespace writ::server {
namespace {

namespace asio = boost::asio;
using SystemError = boost::system::error_code;
using tcp = asio::ip::tcp;

// Pause after a failed accept (EMFILE, ENOBUFS, ...) so that the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

Status CheckOptions(const HttpServerOptions& options) {
  const HttpLimits& limits = options.limits;
  if (options.io_threads == 0 || options.store_threads == 0 || options.hashing_threads == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "io_threads, store_threads and hashing_threads must be positive");
  }
  if (limits.max_header_bytes < 64 || limits.max_header_bytes > (1U << 20) ||
      limits.max_connections == 0) {
    return Fail(ErrorCode::kInvalidArgument, "max_header_bytes or max_connections out of range");
  }
  if (limits.header_timeout.count() <= 0 || limits.body_timeout.count() <= 0 ||
      limits.idle_timeout.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "HTTP timeouts must be positive");
  }
  if (options.tls_certificate_chain_file.empty() != options.tls_private_key_pem.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "TLS needs both a certificate chain and a key");
  }
  return {};
}

using IoContexts = std::vector<std::unique_ptr<asio::io_context>>;

// One single-threaded io_context per I/O thread (concurrency hint 1).
IoContexts MakeContexts(std::size_t count) {
  IoContexts contexts;
  for (std::size_t i = 0; i < count; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  return contexts;
}

// Each accepted connection goes to the next I/O context in turn and stays there: its
// handlers all run on that context's one thread, so it needs no strand, and a request is
// parsed, checked and answered without crossing threads.
asio::awaitable<void> AcceptLoop(tcp::acceptor& acceptor, const IoContexts& contexts,
                                 std::shared_ptr<ConnectionHub> hub, asio::ssl::context* tls) {
  std::size_t next = 0;
  for (;;) {
    SystemError error;
    asio::io_context& context = *contexts[next];
    next = (next + 1) % contexts.size();
    tcp::socket socket =
        co_await acceptor.async_accept(context, asio::redirect_error(asio::use_awaitable, error));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) {
      co_return;
    }
    if (error) {
      asio::steady_timer pause(acceptor.get_executor(), kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    SpawnConnection(hub, std::move(socket), tls);  // closes at once beyond max_connections
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpServerOptions& options, std::shared_ptr<HttpHandler> handler,
       std::shared_ptr<asio::ssl::context> tls_context)
      : tls(std::move(tls_context)),
        contexts(MakeContexts(options.io_threads)),
        store_pool(options.store_threads),
        hashing_pool(options.hashing_threads),
        hub(std::make_shared<ConnectionHub>(std::move(handler), options.limits,
                                            store_pool.get_executor(),
                                            hashing_pool.get_executor())),
        acceptor(*contexts.front()),
        reload_hook(options.reload_hook),
        done_future(done.get_future().share()) {}

  Status Bind(const std::string& host, std::uint16_t port_number);
  void Start();
  void Shutdown(std::chrono::milliseconds grace);
  void StopAndJoin(std::chrono::milliseconds grace);
  void RunUntilSignal();
  void Wake();
  bool OnServerThread() {
    const auto runs_here = [](const auto& context) {
      return context->get_executor().running_in_this_thread();
    };
    return std::any_of(contexts.begin(), contexts.end(), runs_here) ||
           store_pool.get_executor().running_in_this_thread() ||
           hashing_pool.get_executor().running_in_this_thread();
  }

  std::uint16_t port = 0;
  // Declaration order is destruction order reversed: the pools and the acceptor go before
  // the I/O contexts, whose destruction frees any connection still suspended.
  const std::shared_ptr<asio::ssl::context> tls;
  const IoContexts contexts;  // one per I/O thread
  asio::thread_pool store_pool;    // HttpHandler::Placement::kStore
  asio::thread_pool hashing_pool;  // HttpHandler::Placement::kHashing
  std::shared_ptr<ConnectionHub> hub;
  tcp::acceptor acceptor;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  const std::function<void()> reload_hook;

  std::mutex mutex;  // guards started, stopped, wake, shutdown_thread
  std::condition_variable wake_condition;
  bool started = false;
  bool stopped = false;
  bool wake = false;  // RunUntilSignal returns
  std::once_flag shutdown_once;
  std::thread shutdown_thread;  // when Shutdown is called from one of our own threads
  std::promise<void> done;
  std::shared_future<void> done_future;
};

Status HttpServer::Impl::Bind(const std::string& host, std::uint16_t port_number) {
  SystemError error;
  tcp::resolver resolver(*contexts.front());
  const auto endpoints =
      resolver.resolve(host, std::to_string(port_number),
                       tcp::resolver::passive | tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) {
    return Fail(ErrorCode::kIo, "invalid listen address " + host + ": " + error.message());
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  const std::string where = host + ":" + std::to_string(port_number);
  acceptor.open(endpoint.protocol(), error);
  if (!error) {
    acceptor.set_option(asio::socket_base::reuse_address(true), error);
  }
  if (!error) {
    acceptor.bind(endpoint, error);
  }
  if (!error) {
    acceptor.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    return Fail(ErrorCode::kIo, "cannot listen on " + where + ": " + error.message());
  }
  port = acceptor.local_endpoint(error).port();
  return {};
}

void HttpServer::Impl::Start() {
  const std::lock_guard lock(mutex);
  if (started || stopped) {
    return;
  }
  started = true;
  for (const auto& context : contexts) {
    work.push_back(asio::make_work_guard(*context));
  }
  asio::co_spawn(acceptor.get_executor(), AcceptLoop(acceptor, contexts, hub, tls.get()),
                 [](const std::exception_ptr&) {});
  for (const auto& context : contexts) {
    threads.emplace_back([context = context.get()] {
      for (;;) {
        try {
          context->run();
          return;
        } catch (...) {
          // A handler threw past its coroutine; the other connections keep being served.
        }
      }
    });
  }
}

void HttpServer::Impl::Shutdown(std::chrono::milliseconds grace) {
  if (OnServerThread()) {
    // Our own threads cannot be joined from themselves: shut down from a helper thread.
    std::call_once(shutdown_once, [this, grace] {
      const std::lock_guard lock(mutex);
      shutdown_thread = std::thread([this, grace] { StopAndJoin(grace); });
    });
    return;
  }
  std::call_once(shutdown_once, [this, grace] { StopAndJoin(grace); });
  done_future.wait();
}

void HttpServer::Impl::StopAndJoin(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  bool was_started = false;
  {
    const std::lock_guard lock(mutex);
    was_started = started;
    stopped = true;
  }
  hub->BeginStop();  // refuses new connections, closes idle ones
  Wake();
  SystemError ignored;
  if (was_started) {
    asio::post(acceptor.get_executor(), [this] {
      SystemError error;
      acceptor.close(error);
    });
    hub->WaitUntilEmpty(deadline);  // in-flight requests get their responses
    work.clear();
    for (const auto& context : contexts) {
      context->stop();  // after the grace period: whatever is left is dropped
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  acceptor.close(ignored);  // no I/O thread runs any more
  // Handlers still running finish (threads cannot be killed); queued ones are dropped.
  store_pool.stop();
  hashing_pool.stop();
  store_pool.join();
  hashing_pool.join();
  done.set_value();
}

void HttpServer::Impl::Wake() {
  {
    const std::lock_guard lock(mutex);
    wake = true;
  }
  wake_condition.notify_all();
}

void HttpServer::Impl::RunUntilSignal() {
  Start();
  asio::signal_set signals(*contexts.front(), SIGINT, SIGTERM);
  signals.async_wait([this](const SystemError& error, int) {
    if (!error) {
      Wake();
    }
  });
  // SIGHUP (issue 5: key rotation) calls reload_hook when one is set.
  std::optional<asio::signal_set> hangup;
  std::function<void(const SystemError&, int)> on_hangup;
  if (reload_hook) {
    hangup.emplace(*contexts.front(), SIGHUP);
    on_hangup = [this, &hangup, &on_hangup](const SystemError& error, int) {
      if (!error) {
        reload_hook();
        hangup->async_wait(on_hangup);
      }
    };
    hangup->async_wait(on_hangup);
  }
  {
    std::unique_lock lock(mutex);
    wake_condition.wait(lock, [this] { return wake; });
  }
  Shutdown(std::chrono::milliseconds{10'000});
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpServerOptions& options,
                                                       std::shared_ptr<HttpHandler> handler) {
  if (!handler) {
    return Fail(ErrorCode::kInvalidArgument, "no HTTP handler");
  }
  if (auto checked = CheckOptions(options); !checked) {
    return tl::unexpected(std::move(checked.error()));
  }
  try {
    std::shared_ptr<asio::ssl::context> tls;
    if (!options.tls_certificate_chain_file.empty()) {
      auto context =
          MakeTlsServerContext(options.tls_certificate_chain_file, options.tls_private_key_pem);
      if (!context) {
        return tl::unexpected(std::move(context.error()));
      }
      tls = std::move(*context);
    }
    auto impl = std::make_unique<Impl>(options, std::move(handler), std::move(tls));
    if (auto bound = impl->Bind(options.host, options.port); !bound) {
      return tl::unexpected(std::move(bound.error()));
    }
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  } catch (const std::exception& exception) {
    return Fail(ErrorCode::kIo, std::string("cannot start the HTTP server: ") + exception.what());
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

// No grace: a server destroyed without Shutdown() drops its in-flight requests.
HttpServer::~HttpServer() {
  impl_->Shutdown(std::chrono::milliseconds{0});
  impl_->done_future.wait();
  const std::lock_guard lock(impl_->mutex);
  if (impl_->shutdown_thread.joinable()) {
    impl_->shutdown_thread.join();
  }
}

std::uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Start() { impl_->Start(); }

void HttpServer::Shutdown(std::chrono::milliseconds grace) { impl_->Shutdown(grace); }

void HttpServer::RunUntilSignal() { impl_->RunUntilSignal(); }

}  // namespace writ::server
