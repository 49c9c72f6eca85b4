// HttpServer over real sockets on 127.0.0.1 (port 0): framing, limits, timeouts, blocking
// pool, shutdown and TLS. Timeouts are configured small (200 ms); tests wait on socket I/O,
// never sleep.
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

namespace writ::server {
namespace {

using std::chrono::milliseconds;

// Records on which thread each kind of request ran; /blocking/slow waits for the test.
class TestHandler : public HttpHandler {
 public:
  bool IsBlocking(const HttpRequest& request) const override {
    return request.Path().starts_with("/blocking");
  }

  HttpResponse Handle(const HttpRequest& request) override {
    const std::string_view path = request.Path();
    if (path.ends_with("/throw")) {
      throw std::runtime_error("handler failure");
    }
    if (path == "/thread" || path == "/blocking/thread") {
      const std::lock_guard lock(mutex_);
      (path == "/thread" ? inline_thread_ : blocking_thread_) = std::this_thread::get_id();
    }
    if (path == "/blocking/slow") {
      entered_.set_value();
      release_.get_future().wait();
    }
    HttpResponse response;
    if (path == "/no-content") {
      response.status = 204;
    }
    if (path == "/inject") {
      response.SetHeader("X-Note", "a\r\nSet-Cookie: stolen=1");
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

  std::future<void> Entered() { return entered_.get_future(); }
  void Release() { release_.set_value(); }
  std::thread::id inline_thread() {
    const std::lock_guard lock(mutex_);
    return inline_thread_;
  }
  std::thread::id blocking_thread() {
    const std::lock_guard lock(mutex_);
    return blocking_thread_;
  }

 private:
  std::mutex mutex_;
  std::thread::id inline_thread_;
  std::thread::id blocking_thread_;
  std::promise<void> entered_;
  std::promise<void> release_;
};

struct Response {
  int status = 0;
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

HttpServerOptions SmallOptions() {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.limits.header_timeout = milliseconds{2000};
  options.limits.body_timeout = milliseconds{2000};
  options.limits.idle_timeout = milliseconds{2000};
  return options;
}

std::unique_ptr<HttpServer> StartServer(const std::shared_ptr<HttpHandler>& handler,
                                        const HttpServerOptions& options = SmallOptions()) {
  auto server = HttpServer::Create(options, handler);
  if (!server) {
    ADD_FAILURE() << server.error().detail;
    return nullptr;
  }
  (*server)->Start();
  return std::move(*server);
}

std::string Get(std::string_view target, std::string_view extra_fields = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_fields) +
         "\r\n";
}

// Sends `request` on a new connection; expects `status` and then the connection to close.
void ExpectRejected(std::uint16_t port, const std::string& request, int status) {
  TestClient client(port);
  ASSERT_TRUE(client.Send(request));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, status);
  EXPECT_EQ(response->Field("connection"), "close");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST(HttpServer, GetReturnsBodyWithContentLength) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/hello?x=1")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /hello?x=1\n");
  EXPECT_EQ(response->Field("content-length"), std::to_string(response->body.size()));
  EXPECT_EQ(response->Field("content-type"), "text/plain");
  EXPECT_EQ(response->Field("x-peer"), "127.0.0.1");
  EXPECT_EQ(response->Field("x-tls"), "0");
  EXPECT_EQ(response->headers.count("connection"), 0u);
  EXPECT_EQ(response->headers.count("date"), 1u);
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  for (const char* target : {"/first", "/second"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->body, "GET " + std::string(target) + "\n");
  }
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/one") + Get("/blocking/two") + Get("/three")));
  for (const char* target : {"/one", "/blocking/two", "/three"}) {
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->body, "GET " + std::string(target) + "\n");
  }
}

TEST(HttpServer, PostBodyReachesHandler) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\n"
                  "hello world"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "POST /echo\nhello world");
}

TEST(HttpServer, ChunkedBodyReachesHandler) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "POST /echo\nhello world");
}

TEST(HttpServer, ExpectContinueGets100BeforeTheBody) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  const auto interim = client.ReadResponse();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("ok"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "POST /echo\nok");
}

TEST(HttpServer, HeadResponseHasLengthButNoBody) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send("HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n" + Get("/after")));
  const auto head = client.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Field("content-length"), "8");  // "HEAD /x\n"
  const auto after = client.ReadResponse();       // would read the HEAD body if one were sent
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "GET /after\n");
}

TEST(HttpServer, NoContentResponseHasNeitherBodyNorLength) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/no-content") + Get("/after")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Field("content-length"), "");
  const auto after = client.ReadResponse();  // would read the 204 body if one were sent
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "GET /after\n");
}

// Response splitting: a handler value with CR LF must not become a second header field.
TEST(HttpServer, HeaderValueWithLineBreakGives500) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/inject")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->Field("set-cookie"), "");
}

TEST(HttpServer, HandlerFramingFieldsAreReplaced) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/framing")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "GET /framing\n");
  EXPECT_EQ(response->Field("content-length"), "13");
  EXPECT_EQ(response->Field("transfer-encoding"), "");
}

TEST(HttpServer, ClientConnectionCloseIsHonoured) {
  auto server = StartServer(std::make_shared<TestHandler>());
  ExpectRejected(server->port(), Get("/bye", "Connection: close\r\n"), 200);
}

TEST(HttpServer, Http10ClosesUnlessKeepAliveAsked) {
  auto server = StartServer(std::make_shared<TestHandler>());
  ExpectRejected(server->port(), "GET /old HTTP/1.0\r\n\r\n", 200);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->Field("connection"), "keep-alive");
}

TEST(HttpServer, HeadOverLimitGets431) {
  auto server = StartServer(std::make_shared<TestHandler>());
  ExpectRejected(server->port(), Get("/", "X-Big: " + std::string(9 * 1024, 'a') + "\r\n"), 431);
}

TEST(HttpServer, ContentLengthOverLimitGets413AndServerKeepsServing) {
  auto server = StartServer(std::make_shared<TestHandler>());
  // Only the head is sent: the 413 must not wait for the announced body.
  ExpectRejected(server->port(),
                 "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 16385\r\n\r\n", 413);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/still-there")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServer, ChunkedBodyOverLimitGets413) {
  auto server = StartServer(std::make_shared<TestHandler>());
  const std::string chunk(0x3000, 'a');
  ExpectRejected(server->port(),
                 "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3000\r\n" +
                     chunk + "\r\n3000\r\n" + chunk + "\r\n0\r\n\r\n",
                 413);
}

// Request smuggling: a front end and this server must never disagree on where a body ends.
TEST(HttpServer, ContentLengthWithTransferEncodingGets400) {
  auto server = StartServer(std::make_shared<TestHandler>());
  ExpectRejected(server->port(),
                 "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 400);
  ExpectRejected(server->port(),
                 "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n"
                 "Content-Length: 4\r\n\r\n0\r\n\r\n",
                 400);
  ExpectRejected(server->port(),
                 "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\n"
                 "Content-Length: 4\r\n\r\nabcd",
                 400);
}

TEST(HttpServer, AmbiguousFramingGets400) {
  auto server = StartServer(std::make_shared<TestHandler>());
  const std::string post = "POST /echo HTTP/1.1\r\nHost: test\r\n";
  ExpectRejected(server->port(), post + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400);
  ExpectRejected(server->port(), post + "Transfer-Encoding: chunked, identity\r\n\r\n", 400);
  ExpectRejected(server->port(), post + "X-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n", 400);
  ExpectRejected(server->port(), "GET / HTTP/1.1\r\n\r\n", 400);     // no Host
  ExpectRejected(server->port(), Get("/", "Host: other\r\n"), 400);  // two Hosts
  ExpectRejected(server->port(), "GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  ExpectRejected(server->port(), "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400);
}

TEST(HttpServer, SlowHeadGets408) {
  HttpServerOptions options = SmallOptions();
  options.limits.header_timeout = milliseconds{200};
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: te"));
  const auto response = client.ReadResponse();  // waits for the server's timer
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST(HttpServer, SlowBodyGets408) {
  HttpServerOptions options = SmallOptions();
  options.limits.body_timeout = milliseconds{200};
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
}

TEST(HttpServer, IdleConnectionClosedAfterIdleTimeout) {
  HttpServerOptions options = SmallOptions();
  options.limits.idle_timeout = milliseconds{200};
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/")));
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_TRUE(client.ClosedByServer());  // no 408: nothing was asked
}

TEST(HttpServer, BlockingHandlerRunsOffTheIoThread) {
  auto handler = std::make_shared<TestHandler>();
  HttpServerOptions options = SmallOptions();
  options.io_threads = 1;
  auto server = StartServer(handler, options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/thread") + Get("/blocking/thread")));
  ASSERT_TRUE(client.ReadResponse().has_value());
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_NE(handler->inline_thread(), std::thread::id());
  EXPECT_NE(handler->blocking_thread(), std::thread::id());
  EXPECT_NE(handler->inline_thread(), handler->blocking_thread());
  EXPECT_NE(handler->blocking_thread(), std::this_thread::get_id());
}

TEST(HttpServer, HandlerExceptionGives500AndServerContinues) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/throw") + Get("/blocking/throw")));
  for (int i = 0; i < 2; ++i) {
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body, R"({"error":"internal"})");
    EXPECT_EQ(response->Field("content-type"), "application/json");
  }
  ASSERT_TRUE(client.Send(Get("/after")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServer, ConnectionsBeyondMaxAreClosedAtOnce) {
  HttpServerOptions options = SmallOptions();
  options.limits.max_connections = 1;
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  TestClient first(server->port());
  ASSERT_TRUE(first.Send(Get("/")));
  ASSERT_TRUE(first.ReadResponse().has_value());  // `first` is registered now
  TestClient second(server->port());
  EXPECT_TRUE(second.ClosedByServer());
  ASSERT_TRUE(first.Send(Get("/")));
  EXPECT_TRUE(first.ReadResponse().has_value());
}

// Connects until the listening socket is gone, which Shutdown closes right after it starts.
bool WaitUntilRefused(std::uint16_t port) {
  for (int attempt = 0; attempt < 100000; ++attempt) {
    TestClient probe(port);
    if (!probe.connected()) {
      return true;
    }
    std::this_thread::yield();
  }
  return false;
}

TEST(HttpServer, ShutdownLetsInFlightRequestFinish) {
  auto handler = std::make_shared<TestHandler>();
  auto server = StartServer(handler);
  TestClient busy(server->port());
  TestClient idle(server->port());
  ASSERT_TRUE(idle.Send(Get("/")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  ASSERT_TRUE(busy.Send(Get("/blocking/slow")));
  handler->Entered().wait();
  std::thread stopper([&] { server->Shutdown(milliseconds{5000}); });
  EXPECT_TRUE(WaitUntilRefused(server->port()));
  EXPECT_TRUE(idle.ClosedByServer());  // at once, not after the grace period
  handler->Release();
  const auto response = busy.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Field("connection"), "close");
  EXPECT_TRUE(busy.ClosedByServer());
  busy.Close();  // ends the server's lingering close at once
  stopper.join();
}

TEST(HttpServer, ShutdownTwiceIsHarmless) {
  auto server = StartServer(std::make_shared<TestHandler>());
  server->Shutdown(milliseconds{1000});
  server->Shutdown(milliseconds{1000});
  EXPECT_FALSE(TestClient(server->port()).connected());
}

TEST(HttpServer, ShutdownBeforeStartIsHarmless) {
  auto server = HttpServer::Create(SmallOptions(), std::make_shared<TestHandler>());
  ASSERT_TRUE(server.has_value());
  (*server)->Shutdown();
  (*server)->Start();  // ignored after Shutdown
  EXPECT_FALSE(TestClient((*server)->port()).connected());
}

TEST(HttpServer, ShutdownFromAnotherThreadEndsRunUntilSignal) {
  auto server = HttpServer::Create(SmallOptions(), std::make_shared<TestHandler>());
  ASSERT_TRUE(server.has_value());
  std::thread stopper([&] {
    TestClient client((*server)->port());  // listening since Create; answered once started
    EXPECT_TRUE(client.Send(Get("/")));
    EXPECT_TRUE(client.ReadResponse().has_value());
    (*server)->Shutdown(milliseconds{1000});
  });
  (*server)->RunUntilSignal();
  stopper.join();
  EXPECT_FALSE(TestClient((*server)->port()).connected());
}

TEST(HttpServer, PortInUseFailsWithIo) {
  auto server = StartServer(std::make_shared<TestHandler>());
  HttpServerOptions options = SmallOptions();
  options.port = server->port();
  const auto second = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kIo);
}

// A self-signed P-256 certificate made at test run time (no key is ever committed).
struct TlsFiles {
  TlsFiles() {
    static int counter = 0;
    directory = std::filesystem::temp_directory_path() /
                ("writ-http-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(directory);
    chain_file = (directory / "chain.pem").string();
  }
  ~TlsFiles() { std::filesystem::remove_all(directory); }
  TlsFiles(const TlsFiles&) = delete;
  TlsFiles& operator=(const TlsFiles&) = delete;

  std::filesystem::path directory;
  std::string chain_file;
  std::string certificate_pem;
  std::string key_pem;
};

std::string ToPem(const std::function<int(BIO*)>& write) {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string pem;
  if (write(bio) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(bio);
  return pem;
}

std::string NewKeyPem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  std::string pem = ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  EVP_PKEY_free(key);
  return pem;
}

void MakeSelfSigned(TlsFiles& files) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());
  files.certificate_pem = ToPem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate); });
  files.key_pem = ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  X509_free(certificate);
  EVP_PKEY_free(key);
  std::ofstream(files.chain_file) << files.certificate_pem;
}

TEST(HttpServerTls, ServesGetOverTls) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem = files.key_pem;
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  ASSERT_NE(server, nullptr);

  namespace asio = boost::asio;
  asio::io_context io;
  asio::ssl::context client_context(asio::ssl::context::tls_client);
  client_context.add_certificate_authority(
      asio::buffer(files.certificate_pem.data(), files.certificate_pem.size()));
  client_context.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, client_context);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), server->port()});
  stream.handshake(asio::ssl::stream_base::client);
  EXPECT_GE(SSL_version(stream.native_handle()), TLS1_2_VERSION);
  const std::string request = Get("/secure", "Connection: close\r\n");
  asio::write(stream, asio::buffer(request));
  std::string reply;
  boost::system::error_code error;
  asio::read(stream, asio::dynamic_buffer(reply), error);  // until the server closes
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 200");
  EXPECT_NE(reply.find("X-Tls: 1\r\n"), std::string::npos);
  EXPECT_NE(reply.find("GET /secure\n"), std::string::npos);
}

TEST(HttpServerTls, UnparsableKeyFailsWithInvalidKey) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem =
      "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
}

TEST(HttpServerTls, KeyOfAnotherCertificateFailsWithInvalidKey) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem = NewKeyPem();
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(server.error().detail.find("PRIVATE KEY"), std::string::npos);
}

TEST(HttpServerTls, MissingChainFileFailsWithInvalidKey) {
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = "/nonexistent/writ-chain.pem";
  options.tls_private_key_pem = NewKeyPem();
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
}

}  // namespace
}  // namespace writ::server
