// HttpServer over real sockets on 127.0.0.1 (port 0): framing, limits, timeouts, the store
// and hashing pools and shutdown. Timeouts are configured small (200 ms); tests wait on socket I/O,
// never sleep. TLS is in http_server_tls_test.cc.
#include "http_server_test_util.h"

namespace writ::server {
namespace {

using namespace test_support;  // NOLINT(build/namespaces): test helpers only

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
  ASSERT_TRUE(client.Send(Get("/one") + Get("/store/two") + Get("/hashing/three") + Get("/four")));
  for (const char* target : {"/one", "/store/two", "/hashing/three", "/four"}) {
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

// The hand-written response (AppendResponse): the status line with its registered reason or
// none (RFC 9112 §4), and exactly one Date field — the server's, or the handler's if it set one.
TEST(HttpServer, StatusLineAndDateAreWrittenOnce) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/hello") + Get("/dated") + Get("/status-299")));
  const auto count = [](const std::string& text, const std::string& what) {
    std::size_t found = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
      ++found;
    }
    return found;
  };
  const auto plain = client.ReadResponse();
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain->head.starts_with("HTTP/1.1 200 OK\r\n")) << plain->head;
  EXPECT_EQ(count(plain->head, "\r\nDate: "), 1u) << plain->head;
  EXPECT_TRUE(plain->Field("date").ends_with(" GMT"));
  const auto dated = client.ReadResponse();
  ASSERT_TRUE(dated.has_value());
  EXPECT_EQ(count(dated->head, "\r\nDate: "), 1u) << dated->head;
  EXPECT_EQ(dated->Field("date"), "Sun, 06 Nov 1994 08:49:37 GMT");
  const auto unregistered = client.ReadResponse();
  ASSERT_TRUE(unregistered.has_value());
  EXPECT_TRUE(unregistered->head.starts_with("HTTP/1.1 299 \r\n")) << unregistered->head;
  EXPECT_EQ(unregistered->body, "GET /status-299\n");
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

TEST(HttpServer, EachPlacementRunsOnThreadsOfItsOwn) {
  auto handler = std::make_shared<TestHandler>();
  HttpServerOptions options = SmallOptions();
  options.io_threads = 1;
  options.store_threads = 1;
  options.hashing_threads = 1;
  auto server = StartServer(handler, options);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/thread") + Get("/store/thread") + Get("/hashing/thread")));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.ReadResponse().has_value());
  }
  const std::thread::id io = handler->thread_of(HttpHandler::Placement::kInline);
  const std::thread::id store = handler->thread_of(HttpHandler::Placement::kStore);
  const std::thread::id hashing = handler->thread_of(HttpHandler::Placement::kHashing);
  for (const std::thread::id& thread : {io, store, hashing}) {
    EXPECT_NE(thread, std::thread::id());
    EXPECT_NE(thread, std::this_thread::get_id());
  }
  EXPECT_NE(io, store);
  EXPECT_NE(io, hashing);
  EXPECT_NE(store, hashing);
}

// Holds the only thread of `busy`'s pool with a slow request, with one more request queued
// behind it, and expects requests of every other placement to be answered meanwhile: had any
// of them gone to the busy pool, it would wait for Release and the read would time out.
void ExpectOtherPlacementsServedWhilePoolBusy(HttpHandler::Placement busy,
                                              const std::string& busy_prefix,
                                              const std::vector<std::string>& others) {
  auto handler = std::make_shared<TestHandler>();
  HttpServerOptions options = SmallOptions();
  options.io_threads = 1;
  options.store_threads = 1;
  options.hashing_threads = 1;
  auto server = StartServer(handler, options);
  ASSERT_NE(server, nullptr);
  const ReleaseOnExit release(*handler, busy);
  TestClient slow(server->port());
  ASSERT_TRUE(slow.Send(Get(busy_prefix + "/slow")));
  handler->Entered(busy).wait();
  TestClient queued(server->port());
  ASSERT_TRUE(queued.Send(Get(busy_prefix + "/queued")));
  for (const std::string& target : others) {
    TestClient client(server->port());
    ASSERT_TRUE(client.Send(Get(target)));
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << target << " waited for the busy pool";
    EXPECT_EQ(response->body, "GET " + target + "\n");
  }
  handler->Release(busy);
  for (TestClient* client : {&slow, &queued}) {
    const auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
  }
}

// A store that hangs (PostgreSQL up to its statement timeout, Redis down) must not stall
// token checks on the I/O threads, nor logins.
TEST(HttpServer, BusyStorePoolDelaysNeitherInlineNorHashingRequests) {
  ExpectOtherPlacementsServedWhilePoolBusy(HttpHandler::Placement::kStore, "/store",
                                           {"/verify", "/hashing/login"});
}

// A flood of logins (each tens of milliseconds of Argon2) must not starve refreshes.
TEST(HttpServer, BusyHashingPoolDelaysNeitherInlineNorStoreRequests) {
  ExpectOtherPlacementsServedWhilePoolBusy(HttpHandler::Placement::kHashing, "/hashing",
                                           {"/verify", "/store/refresh"});
}

TEST(HttpServer, PlacementFailureGives500WithoutCallingHandler) {
  auto handler = std::make_shared<TestHandler>();
  auto server = StartServer(handler);
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/placement/throw") + Get("/placement/invalid/thread")));
  for (int i = 0; i < 2; ++i) {
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body, R"({"error":"internal"})");
  }
  EXPECT_EQ(handler->thread_of(static_cast<HttpHandler::Placement>(42)), std::thread::id());
  ASSERT_TRUE(client.Send(Get("/after")));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServer, ZeroThreadsInAnyPoolIsRefused) {
  for (std::size_t HttpServerOptions::*threads :
       {&HttpServerOptions::io_threads, &HttpServerOptions::store_threads,
        &HttpServerOptions::hashing_threads}) {
    HttpServerOptions options = SmallOptions();
    options.*threads = 0;
    const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
    ASSERT_FALSE(server.has_value());
    EXPECT_EQ(server.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(HttpServer, HandlerExceptionGives500AndServerContinues) {
  auto server = StartServer(std::make_shared<TestHandler>());
  TestClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/throw") + Get("/store/throw") + Get("/hashing/throw")));
  for (int i = 0; i < 3; ++i) {
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

// Shuts down while `slow_target`, placed on `placement`'s pool, runs; expects the listener
// to close at once, an idle connection to close at once, and the slow request to be answered
// (with Connection: close) once released.
void ExpectShutdownLetsInFlightRequestFinish(HttpHandler::Placement placement,
                                             const std::string& slow_target) {
  auto handler = std::make_shared<TestHandler>();
  auto server = StartServer(handler);
  ASSERT_NE(server, nullptr);
  const ReleaseOnExit release(*handler, placement);
  TestClient busy(server->port());
  TestClient idle(server->port());
  ASSERT_TRUE(idle.Send(Get("/")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  ASSERT_TRUE(busy.Send(Get(slow_target)));
  handler->Entered(placement).wait();
  std::thread stopper([&] { server->Shutdown(milliseconds{5000}); });
  EXPECT_TRUE(WaitUntilRefused(server->port()));
  EXPECT_TRUE(idle.ClosedByServer());  // at once, not after the grace period
  handler->Release(placement);
  const auto response = busy.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Field("connection"), "close");
  EXPECT_TRUE(busy.ClosedByServer());
  busy.Close();  // ends the server's lingering close at once
  stopper.join();
}

TEST(HttpServer, ShutdownLetsInFlightStoreRequestFinish) {
  ExpectShutdownLetsInFlightRequestFinish(HttpHandler::Placement::kStore, "/store/slow");
}

TEST(HttpServer, ShutdownLetsInFlightHashingRequestFinish) {
  ExpectShutdownLetsInFlightRequestFinish(HttpHandler::Placement::kHashing, "/hashing/slow");
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

}  // namespace
}  // namespace writ::server
