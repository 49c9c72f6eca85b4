// Shared by the HttpServer tests: a recording handler, a raw-socket client and small
// limits, so every test runs on 127.0.0.1 port 0 with 200 ms timeouts.
#ifndef WRIT_TESTS_UNIT_HTTP_SERVER_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_HTTP_SERVER_TEST_UTIL_H_

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include "server/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>


namespace writ::server::test_support {


using std::chrono::milliseconds;

// Places /store/... on the store pool and /hashing/... on the hashing pool, the rest
// inline; records on which thread each placement last ran; /store/slow and /hashing/slow
// wait until the test releases them.
class TestHandler : public HttpHandler {
 public:
  Placement PlacementOf(const HttpRequest& request) const override {
    const std::string_view path = request.Path();
    if (path == "/placement/throw") {
      throw std::runtime_error("placement failure");
    }
    if (path.starts_with("/placement/invalid")) {
      return static_cast<Placement>(42);
    }
    if (path.starts_with("/store")) {
      return Placement::kStore;
    }
    return path.starts_with("/hashing") ? Placement::kHashing : Placement::kInline;
  }

  HttpResponse Handle(const HttpRequest& request) override {
    const std::string_view path = request.Path();
    if (path.ends_with("/throw")) {
      throw std::runtime_error("handler failure");
    }
    if (path.ends_with("/thread")) {
      const std::lock_guard lock(mutex_);
      threads_[PlacementOf(request)] = std::this_thread::get_id();
    }
    if (path.ends_with("/slow")) {
      Gate& gate = GateOf(PlacementOf(request));
      gate.entered.set_value();
      gate.release.get_future().wait();
    }
    HttpResponse response;
    if (path == "/no-content") {
      response.status = 204;
    }
    if (path == "/inject") {
      response.SetHeader("X-Note", "a\r\nSet-Cookie: stolen=1");
    }
    if (path == "/dated") {
      response.SetHeader("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    }
    if (path == "/status-299") {
      response.status = 299;  // no registered reason phrase
    }
    if (path == "/framing") {
      response.SetHeader("Content-Length", "0");
      response.SetHeader("Transfer-Encoding", "chunked");
    }
    response.SetHeader("Content-Type", "text/plain");
    response.SetHeader("X-Peer", request.peer_ip);
    response.SetHeader("X-Tls", request.tls ? "1" : "0");
    response.body = request.method + " " + request.target + "\n" + request.body;
    return response;
  }

  // Ready once /store/slow (kStore) or /hashing/slow (kHashing) has started; once only.
  std::future<void> Entered(Placement placement) { return GateOf(placement).entered.get_future(); }
  // Lets that request finish (and any later one of that placement: a gate opens once).
  void Release(Placement placement) {
    Gate& gate = GateOf(placement);
    std::call_once(gate.opened, [&gate] { gate.release.set_value(); });
  }
  // The thread that last ran a …/thread request placed there; none before.
  std::thread::id thread_of(Placement placement) {
    const std::lock_guard lock(mutex_);
    const auto found = threads_.find(placement);
    return found == threads_.end() ? std::thread::id() : found->second;
  }

 private:
  struct Gate {
    std::promise<void> entered;
    std::promise<void> release;
    std::once_flag opened;
  };

  Gate& GateOf(Placement placement) {
    return placement == Placement::kStore ? store_gate_ : hashing_gate_;
  }

  std::mutex mutex_;
  std::map<Placement, std::thread::id> threads_;
  Gate store_gate_;
  Gate hashing_gate_;
};

struct Response {
  int status = 0;
  std::string head;  // status line and fields as sent, up to the empty line
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Field(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// A blocking client on a POSIX socket; reads give up after 3 s (a safety net only).
class TestClient {
 public:
  explicit TestClient(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{3, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~TestClient() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }

  void Close() {
    close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // The next response; nothing when the connection ends (or 3 s pass) before it is whole.
  std::optional<Response> ReadResponse(bool head_request = false) {
    for (;;) {
      if (auto response = TakeResponse(head_request)) {
        return response;
      }
      if (!Receive()) {
        return std::nullopt;
      }
    }
  }

  // True when the server closes the connection (FIN or RST) without sending more.
  bool ClosedByServer() {
    char byte = 0;
    const ssize_t received = recv(fd_, &byte, 1, 0);
    return buffer_.empty() && (received == 0 || (received < 0 && errno == ECONNRESET));
  }

 private:
  bool Receive() {
    char chunk[4096];
    const ssize_t received = recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(received));
    return true;
  }

  std::optional<Response> TakeResponse(bool head_request) {
    const std::size_t head_end = buffer_.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      return std::nullopt;
    }
    Response response;
    response.status = std::stoi(buffer_.substr(9, 3));
    response.head = buffer_.substr(0, head_end + 2);
    std::size_t line = buffer_.find("\r\n") + 2;
    while (line < head_end + 2) {
      const std::size_t end = buffer_.find("\r\n", line);
      const std::size_t colon = buffer_.find(':', line);
      std::string name = buffer_.substr(line, colon - line);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      response.headers[name] = buffer_.substr(colon + 2, end - colon - 2);
      line = end + 2;
    }
    std::size_t length = 0;
    if (!head_request && response.headers.count("content-length") != 0) {
      length = std::stoul(response.headers["content-length"]);
    }
    if (buffer_.size() < head_end + 4 + length) {
      return std::nullopt;
    }
    response.body = buffer_.substr(head_end + 4, length);
    buffer_.erase(0, head_end + 4 + length);
    return response;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

// Releases a TestHandler's gate when it goes out of scope, so that a failed assertion cannot
// leave a pool thread waiting and the server's destructor joining it forever. Declare it
// after the server: it is then destroyed first.
class ReleaseOnExit {
 public:
  ReleaseOnExit(TestHandler& handler, HttpHandler::Placement placement)
      : handler_(handler), placement_(placement) {}
  ~ReleaseOnExit() { handler_.Release(placement_); }
  ReleaseOnExit(const ReleaseOnExit&) = delete;
  ReleaseOnExit& operator=(const ReleaseOnExit&) = delete;

 private:
  TestHandler& handler_;
  const HttpHandler::Placement placement_;
};

inline HttpServerOptions SmallOptions() {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.limits.header_timeout = milliseconds{2000};
  options.limits.body_timeout = milliseconds{2000};
  options.limits.idle_timeout = milliseconds{2000};
  return options;
}

inline std::unique_ptr<HttpServer> StartServer(const std::shared_ptr<HttpHandler>& handler,
                                               const HttpServerOptions& options = SmallOptions()) {
  auto server = HttpServer::Create(options, handler);
  if (!server) {
    ADD_FAILURE() << server.error().detail;
    return nullptr;
  }
  (*server)->Start();
  return std::move(*server);
}

inline std::string Get(std::string_view target, std::string_view extra_fields = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_fields) +
         "\r\n";
}

// Sends `request` on a new connection; expects `status` and then the connection to close.
inline void ExpectRejected(std::uint16_t port, const std::string& request, int status) {
  TestClient client(port);
  ASSERT_TRUE(client.Send(request));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, status);
  EXPECT_EQ(response->Field("connection"), "close");
  EXPECT_TRUE(client.ClosedByServer());
}

}  // namespace writ::server::test_support

#endif  // WRIT_TESTS_UNIT_HTTP_SERVER_TEST_UTIL_H_
