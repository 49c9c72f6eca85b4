// Implementation of SpawnConnection (see http_connection.h).
//
// One coroutine per connection, on its socket's executor (one handler at a time). Each
// exchange: wait for the first byte of a request (idle), read the head into our buffer and
// check it raw (size, obs-fold), parse it with Beast, check the framing, read the body, call
// the handler (inline, or on the store or hashing pool), write the response. Reads are
// bounded by a deadline timer that cancels the pending operation instead of closing the
// socket, so a slow request can still be answered with 408.
#include "server/http_connection.h"

#include <array>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/http_wire.h"

namespace writ::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using SystemError = boost::system::error_code;
using asio::redirect_error;
using asio::use_awaitable;

constexpr std::size_t kReadChunk = 4096;
// Output buffer capacity kept between responses of one connection.
constexpr std::size_t kMaxKeptOutputBytes = 16 * 1024;
// After a response that closes the connection, unread request bytes are drained, for at most
// this long and this much, before the socket closes: closing with unread data makes the kernel
// send a RST that can destroy the response in flight (RFC 9112 §9.6).
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr std::size_t kMaxLingerBytes = 256 * 1024;
constexpr std::string_view kContinueLine = "HTTP/1.1 100 Continue\r\n\r\n";

enum class Phase { kIdle, kHead, kBusy };
enum class Next { kContinue, kCloseGracefully, kCloseNow };

// The outcome of reading a request head: ready (`length` bytes in the buffer), rejected, or
// the connection ends without an answer.
struct Head {
  Next next = Next::kCloseNow;
  std::size_t length = 0;
  std::optional<Rejection> rejection;
};

// The handler's placement for `request`; nothing when PlacementOf throws.
std::optional<HttpHandler::Placement> PlacementOf(const HttpHandler& handler,
                                                  const HttpRequest& request) {
  try {
    return handler.PlacementOf(request);
  } catch (...) {
    return std::nullopt;
  }
}

// Handler exceptions never reach the connection: they become 500 {"error":"internal"}.
HttpResponse InvokeHandler(HttpHandler& handler, const HttpRequest& request) {
  try {
    return handler.Handle(request);
  } catch (...) {
    return ErrorResponse(500, "internal");
  }
}

asio::awaitable<HttpResponse> HandleOnPool(std::shared_ptr<ConnectionHub> hub,
                                           const HttpRequest& request) {
  co_return InvokeHandler(hub->handler(), request);
}

std::string_view View(const beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.cdata().data()), buffer.size()};
}

bool IsHttpError(const SystemError& error) {
  return error.category() == http::make_error_code(http::error::end_of_stream).category();
}

// The peer's address in canonical text, an IPv4-mapped IPv6 address as IPv4.
std::string PeerIp(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Connection(Stream stream, std::shared_ptr<ConnectionHub> hub, std::string peer_ip)
      : stream_(std::move(stream)),
        executor_(stream_.get_executor()),
        timer_(executor_),
        hub_(std::move(hub)),
        peer_ip_(std::move(peer_ip)) {}
  ~Connection() override {
    if (id_) {
      hub_->Unregister(*id_);
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void set_id(std::uint64_t id) { id_ = id; }
  const asio::any_io_executor& executor() const { return executor_; }

  static asio::awaitable<void> Run(std::shared_ptr<Connection> self) {
    const Next last = co_await self->Serve();
    co_await self->Close(last);
  }

  void CloseIfIdle() override {
    asio::post(executor_, [self = this->shared_from_this()] {
      if (self->phase_ == Phase::kIdle) {
        self->CancelIo();
      }
    });
  }

 private:
  asio::awaitable<Next> Serve() {
    if (hub_->stopping()) {
      co_return Next::kCloseNow;
    }
    if constexpr (kTls) {
      SystemError error;
      Arm(hub_->limits().header_timeout);
      co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                       redirect_error(use_awaitable, error));
      Disarm();
      if (error) {
        co_return Next::kCloseNow;
      }
    }
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
      const Next next = co_await ServeOne(buffer, first);
      if (next != Next::kContinue) {
        co_return next;
      }
    }
  }

  // One request and its response.
  asio::awaitable<Next> ServeOne(beast::flat_buffer& buffer, bool first) {
    const Head head = co_await ReadHead(buffer, first);
    if (head.rejection) {
      co_return co_await Reject(*head.rejection);
    }
    if (head.next != Next::kContinue) {
      co_return head.next;
    }
    const HttpLimits& limits = hub_->limits();
    WireRequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    SystemError error;
    buffer.consume(parser.put(asio::const_buffer(buffer.cdata().data(), head.length), error));
    if (error || !parser.is_header_done()) {
      co_return co_await Reject(RejectionForParseError(error));
    }
    if (const auto rejection = CheckRequestHead(parser, limits)) {
      co_return co_await Reject(*rejection);
    }
    if (!parser.is_done()) {
      if (const Next next = co_await ReadBody(buffer, parser); next != Next::kContinue) {
        co_return next;
      }
    }
    co_return co_await Answer(parser);
  }

  // Reads until `buffer` holds a whole request head. The first request of a connection gets
  // header_timeout from its start; a later one gets idle_timeout for its first byte (then
  // the connection just closes) and header_timeout from there (then 408).
  asio::awaitable<Head> ReadHead(beast::flat_buffer& buffer, bool first) {
    const HttpLimits& limits = hub_->limits();
    phase_ = buffer.size() == 0 ? Phase::kIdle : Phase::kHead;
    if (hub_->stopping()) {
      co_return Head{};
    }
    Arm(phase_ == Phase::kIdle && !first ? limits.idle_timeout : limits.header_timeout);
    for (;;) {
      buffer.consume(LeadingEmptyLines(View(buffer)));
      const std::string_view data = View(buffer);
      if (const auto length = RequestHeadLength(data)) {
        Disarm();
        if (*length > limits.max_header_bytes) {
          co_return Head{Next::kCloseNow, 0, Rejection{431, "header_too_large"}};
        }
        if (HasObsFold(data.substr(0, *length - 2))) {
          co_return Head{Next::kCloseNow, 0, Rejection{400, "bad_request"}};
        }
        co_return Head{Next::kContinue, *length, std::nullopt};
      }
      if (data.size() >= limits.max_header_bytes) {
        Disarm();
        co_return Head{Next::kCloseNow, 0, Rejection{431, "header_too_large"}};
      }
      SystemError error;
      buffer.commit(co_await stream_.async_read_some(buffer.prepare(kReadChunk),
                                                     redirect_error(use_awaitable, error)));
      if (error) {
        const bool timed_out = timed_out_;
        Disarm();
        if (timed_out && phase_ == Phase::kHead) {
          co_return Head{Next::kCloseNow, 0, Rejection{408, "request_timeout"}};
        }
        co_return Head{};  // idle timeout, shutdown, peer gone: close without an answer
      }
      if (phase_ == Phase::kIdle && buffer.size() > 0) {
        phase_ = Phase::kHead;
        if (!first) {
          Arm(limits.header_timeout);
        }
      }
    }
  }

  asio::awaitable<Next> ReadBody(beast::flat_buffer& buffer, WireRequestParser& parser) {
    phase_ = Phase::kBusy;
    Arm(hub_->limits().body_timeout);
    SystemError error;
    if (ExpectsContinue(parser.get())) {
      co_await asio::async_write(stream_, asio::buffer(kContinueLine.data(), kContinueLine.size()),
                                 redirect_error(use_awaitable, error));
    }
    if (!error) {
      co_await http::async_read(stream_, buffer, parser, redirect_error(use_awaitable, error));
    }
    const bool timed_out = timed_out_;
    Disarm();
    if (!error) {
      co_return Next::kContinue;
    }
    if (timed_out) {
      co_return co_await Reject(Rejection{408, "request_timeout"});
    }
    if (!IsHttpError(error) || error == http::error::end_of_stream ||
        error == http::error::partial_message) {
      co_return Next::kCloseNow;  // the peer went away
    }
    co_return co_await Reject(RejectionForParseError(error));
  }

  asio::awaitable<Next> Answer(WireRequestParser& parser) {
    phase_ = Phase::kBusy;
    const unsigned version = parser.get().version();
    const bool client_keep_alive = parser.get().keep_alive();
    const bool head_request = parser.get().method() == http::verb::head;
    const HttpRequest request = ToHttpRequest(parser.release(), peer_ip_, kTls);
    const HttpResponse response = co_await CallHandler(request);
    // After shutdown began, in-flight requests are answered and their connections close.
    const bool keep_alive = response.keep_alive && client_keep_alive && !hub_->stopping();
    if (!co_await Write(response, version, head_request, keep_alive)) {
      co_return Next::kCloseNow;
    }
    co_return keep_alive ? Next::kContinue : Next::kCloseGracefully;
  }

  // Runs the handler where it asks (HttpHandler::PlacementOf): inline, or on a pool and
  // back to this connection's executor.
  asio::awaitable<HttpResponse> CallHandler(const HttpRequest& request) {
    using Placement = HttpHandler::Placement;
    const std::optional<Placement> placement = PlacementOf(hub_->handler(), request);
    if (placement == Placement::kInline) {
      co_return InvokeHandler(hub_->handler(), request);
    }
    if (placement == Placement::kStore || placement == Placement::kHashing) {
      const auto pool =
          placement == Placement::kStore ? hub_->store_executor() : hub_->hashing_executor();
      co_return co_await asio::co_spawn(pool, HandleOnPool(hub_, request), use_awaitable);
    }
    co_return ErrorResponse(500, "internal");  // PlacementOf threw or gave no valid place
  }

  asio::awaitable<bool> Write(const HttpResponse& response, unsigned version, bool head_request,
                              bool keep_alive) {
    out_.clear();
    AppendResponse(response, version, head_request, keep_alive, std::chrono::system_clock::now(),
                   out_);
    if (out_.capacity() > kMaxKeptOutputBytes) {
      out_.shrink_to_fit();  // after a large answer (JWKS, admin views): keep little idle memory
    }
    phase_ = Phase::kBusy;
    Arm(hub_->limits().body_timeout);
    SystemError error;
    co_await asio::async_write(stream_, asio::buffer(out_), redirect_error(use_awaitable, error));
    Disarm();
    co_return !error;
  }

  // Answers a request the server refuses itself, then closes (RFC 9112 §9.6).
  asio::awaitable<Next> Reject(Rejection rejection) {
    const HttpResponse response = ErrorResponse(rejection.status, rejection.error_code);
    const bool written = co_await Write(response, 11, false, false);
    co_return written ? Next::kCloseGracefully : Next::kCloseNow;
  }

  asio::awaitable<void> Close(Next how) {
    phase_ = Phase::kBusy;
    auto& tcp = beast::get_lowest_layer(stream_);
    SystemError ignored;
    if (how == Next::kCloseGracefully) {
      Arm(std::min(hub_->limits().header_timeout, kMaxLinger));
      if constexpr (kTls) {
        co_await stream_.async_shutdown(redirect_error(use_awaitable, ignored));
      } else {
        tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        std::array<char, kReadChunk> sink;
        std::size_t drained = 0;
        while (!ignored && drained < kMaxLingerBytes) {
          drained += co_await stream_.async_read_some(asio::buffer(sink),
                                                      redirect_error(use_awaitable, ignored));
        }
      }
      Disarm();
    }
    tcp.close();
  }

  // Starts the deadline of the next I/O step; when it passes, the pending operation is
  // cancelled (not the socket closed) and timed_out_ tells why.
  void Arm(std::chrono::milliseconds timeout) {
    timed_out_ = false;
    const std::uint64_t generation = ++generation_;
    timer_.expires_after(timeout);
    timer_.async_wait([weak = this->weak_from_this(), generation](const SystemError& error) {
      const auto self = weak.lock();
      if (error || !self || self->generation_ != generation) {
        return;
      }
      self->timed_out_ = true;
      self->CancelIo();
    });
  }

  void Disarm() {
    ++generation_;
    timer_.cancel();
  }

  void CancelIo() { beast::get_lowest_layer(stream_).cancel(); }

  Stream stream_;
  const asio::any_io_executor executor_;  // the socket's: one handler at a time
  asio::steady_timer timer_;
  const std::shared_ptr<ConnectionHub> hub_;
  const std::string peer_ip_;
  std::optional<std::uint64_t> id_;
  // The members below are touched on executor_ only.
  std::string out_;  // the response being written, its capacity reused by the next one
  Phase phase_ = Phase::kIdle;
  std::uint64_t generation_ = 0;
  bool timed_out_ = false;
};

template <class Stream>
void Launch(const std::shared_ptr<ConnectionHub>& hub, Stream stream, std::string peer_ip) {
  auto connection =
      std::make_shared<Connection<Stream>>(std::move(stream), hub, std::move(peer_ip));
  const auto id = hub->Register(connection);
  if (!id) {
    return;  // the connection's destructor closes the socket
  }
  connection->set_id(*id);
  const asio::any_io_executor executor = connection->executor();
  asio::co_spawn(executor, Connection<Stream>::Run(std::move(connection)),
                 [](const std::exception_ptr&) {});  // errors end only their own connection
}

}  // namespace

void SpawnConnection(const std::shared_ptr<ConnectionHub>& hub, asio::ip::tcp::socket socket,
                     asio::ssl::context* tls) {
  SystemError error;
  const asio::ip::tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) {
    socket.close(error);
    return;
  }
  beast::tcp_stream stream(std::move(socket));
  if (tls == nullptr) {
    Launch(hub, std::move(stream), PeerIp(peer.address()));
  } else {
    Launch(hub, beast::ssl_stream<beast::tcp_stream>(std::move(stream), *tls),
           PeerIp(peer.address()));
  }
}

}  // namespace writ::server
