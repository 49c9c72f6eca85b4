#include "store/redis_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "redis_test_util.h"
#include "store/redis_url.h"

namespace writ::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A TCP server on 127.0.0.1 speaking just enough RESP for RedisClient: while answering,
// +PONG to a PING and +OK to anything else (AUTH); while mute it reads and never answers,
// like a hung Redis, so that each call waits for its timeout. Counts connections made to it.
class FakeRedis {
 public:
  FakeRedis() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    listening_ = ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                 ::listen(listener_, 64) == 0 &&
                 ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeRedis() {
    stop_ = true;
    thread_.join();
    for (const int client : clients_) {
      ::close(client);
    }
    ::close(listener_);
  }
  FakeRedis(const FakeRedis&) = delete;
  FakeRedis& operator=(const FakeRedis&) = delete;

  bool listening() const { return listening_; }
  // Options for this server: AUTH with `password`, connect and command timeouts of 200 ms.
  RedisOptions Options(std::string_view password) const {
    RedisOptions options;
    options.url = *ParseRedisUrl("redis://127.0.0.1:" + std::to_string(port_) + "/0");
    options.password = SecretBytes::FromString(std::string(password));
    options.connect_timeout = milliseconds{200};
    options.command_timeout = milliseconds{200};
    return options;
  }
  void set_answering(bool answering) { answering_ = answering; }
  // Every connection made so far, whether or not the serving thread took it yet (a
  // connection is in the listen queue once the client's connect returned).
  int connections() {
    const std::lock_guard lock(mutex_);
    AcceptPending();
    return connections_;
  }

 private:
  void AcceptPending() {
    for (int client; (client = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
      clients_.push_back(client);
      ++connections_;
    }
  }

  void Serve() {
    while (!stop_) {
      std::vector<pollfd> polled;
      {
        const std::lock_guard lock(mutex_);
        AcceptPending();
        polled.push_back({listener_, POLLIN, 0});
        for (const int client : clients_) {
          polled.push_back({client, POLLIN, 0});
        }
      }
      if (::poll(polled.data(), polled.size(), 10) <= 0) {
        continue;
      }
      const std::lock_guard lock(mutex_);
      for (std::size_t i = 1; i < polled.size(); ++i) {
        if (polled[i].revents == 0) {
          continue;
        }
        char bytes[512];
        const ssize_t received = ::recv(polled[i].fd, bytes, sizeof bytes, 0);
        if (received <= 0) {
          ::close(polled[i].fd);
          clients_.erase(std::find(clients_.begin(), clients_.end(), polled[i].fd));
        } else if (answering_) {
          const std::string_view command(bytes, static_cast<std::size_t>(received));
          const std::string_view reply =
              command.find("PING") != std::string_view::npos ? "+PONG\r\n" : "+OK\r\n";
          (void)::send(polled[i].fd, reply.data(), reply.size(), MSG_NOSIGNAL);
        }
      }
    }
  }

  const int listener_;
  bool listening_ = false;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> answering_{false};
  std::mutex mutex_;  // guards clients_ and connections_
  std::vector<int> clients_;
  int connections_ = 0;
  std::thread thread_;
};

// The backoff's clock, stepped by the test.
class SteppedClock {
 public:
  RedisClient::SteadyTime Now() const {
    return RedisClient::SteadyTime{} + milliseconds{now_ms_.load()};
  }
  void Advance(milliseconds step) { now_ms_ += step.count(); }

 private:
  std::atomic<std::int64_t> now_ms_{1'000'000};
};

std::function<RedisClient::SteadyTime()> Driven(const std::shared_ptr<SteppedClock>& clock) {
  return [clock] { return clock->Now(); };
}

TEST(RedisUrl, HostPortAndDbAreParsed) {
  auto url = ParseRedisUrl("redis://127.0.0.1:6380/3");
  ASSERT_TRUE(url) << url.error().detail;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 6380);
  EXPECT_EQ(url->db, 3);
  EXPECT_EQ(DescribeRedis(*url), "127.0.0.1:6380/3");
}

TEST(RedisUrl, DefaultsArePort6379AndDb0) {
  auto url = ParseRedisUrl("redis://cache.internal");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 6379);
  EXPECT_EQ(url->db, 0);
}

TEST(RedisUrl, BracketedIpv6HostIsParsed) {
  auto url = ParseRedisUrl("redis://[::1]:7000/0");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 7000);
}

TEST(RedisUrl, PasswordInTheUrlIsRefusedAndNotRepeated) {
  for (const char* text : {"redis://:hunter2-secret@127.0.0.1:6379/0", "redis://default:hunter2-secret@h/0"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(url.error().detail.find("hunter2"), std::string::npos) << url.error().detail;
    EXPECT_NE(url.error().detail.find("redis_password"), std::string::npos) << url.error().detail;
  }
}

TEST(RedisUrl, OtherShapesAreRefused) {
  for (const char* text : {"rediss://127.0.0.1:6379/0", "http://127.0.0.1:6379", "redis://", "redis://h:0/0",
                           "redis://h:65536/0", "redis://h:/0", "redis://h:6379/x", "redis://h:6379/1024",
                           "redis://h:6379/0?password=x", "redis://h h:6379/0", "redis://[::1/0"}) {
    EXPECT_FALSE(ParseRedisUrl(text)) << text;
  }
}

TEST(RedisClient, CommandsRoundTripBinarySafe) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  const std::string key = testing::UniquePrefix() + "k";
  const std::string value("a\0b\r\nc", 6);
  ASSERT_TRUE(client.Command({"SET", key, value, "EX", "60"}));
  auto read = client.Command({"GET", key});
  ASSERT_TRUE(read) << read.error().detail;
  EXPECT_EQ(read->kind, RedisReply::Kind::kString);
  EXPECT_EQ(read->text, value);
  auto missing = client.Command({"GET", key + "-missing"});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->kind, RedisReply::Kind::kNil);
  EXPECT_TRUE(client.Ping());
}

TEST(RedisClient, ErrorReplyIsStorageErrorAndConnectionStaysUsable) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  auto bad = client.Command({"NOSUCHCOMMAND"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kStorage);
  EXPECT_TRUE(bad.error().detail.starts_with("redis unavailable: ")) << bad.error().detail;
  EXPECT_TRUE(client.Ping());
}

TEST(RedisClient, WrongPasswordIsAClearErrorWithoutThePassword) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  const std::string wrong = "wrong-password-7f3c9a";
  options->password = SecretBytes::FromString(wrong);
  RedisClient client(std::move(*options));
  auto ping = client.Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kStorage);
  EXPECT_NE(ping.error().detail.find("refused the password"), std::string::npos) << ping.error().detail;
  EXPECT_EQ(ping.error().detail.find(wrong), std::string::npos) << ping.error().detail;
}

TEST(RedisClient, MissingPasswordIsRefusedByTheServer) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  options->password = SecretBytes();
  RedisClient client(std::move(*options));
  auto ping = client.Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kStorage);
  EXPECT_NE(ping.error().detail.find("NOAUTH"), std::string::npos) << ping.error().detail;
}

TEST(RedisClient, DeadPortFailsWithinTheTimeout) {
  testing::PrivateRedis redis;  // a port that was ours and is closed now
  ASSERT_TRUE(redis.started());
  auto dead = redis.options();
  ASSERT_TRUE(dead);
  ASSERT_TRUE(redis.Stop());
  RedisClient client(std::move(*dead));
  const auto started = steady_clock::now();
  auto ping = client.Ping();
  const auto took = steady_clock::now() - started;
  ASSERT_FALSE(ping);
  EXPECT_TRUE(ping.error().detail.starts_with("redis unavailable: ")) << ping.error().detail;
  EXPECT_LT(took, milliseconds{1'500});
}

// A hung Redis (AUTH never answered): the first call waits for its timeout, calls inside
// the backoff window get the same failure without connecting, and the windows double
// from 250 ms up to 2 s. Fail closed all along: every call is a kStorage failure.
TEST(RedisClient, HungRedisFailsFastInsideAGrowingBackoff) {
  FakeRedis redis;
  ASSERT_TRUE(redis.listening());
  auto clock = std::make_shared<SteppedClock>();
  RedisClient client(redis.Options("secret"), Driven(clock));
  const auto first = client.Ping();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kStorage);
  EXPECT_TRUE(first.error().detail.starts_with("redis unavailable: ")) << first.error().detail;
  EXPECT_EQ(redis.connections(), 1);
  const auto again = client.Ping();  // at once: no connection, no wait
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, first.error().code);
  EXPECT_EQ(again.error().detail, first.error().detail);
  EXPECT_EQ(redis.connections(), 1);
  int attempts = 1;
  for (const milliseconds window : {milliseconds{250}, milliseconds{500}, milliseconds{1'000},
                                    milliseconds{2'000}, milliseconds{2'000}}) {
    clock->Advance(window - milliseconds{1});
    EXPECT_FALSE(client.Command({"GET", "k"}));
    EXPECT_EQ(redis.connections(), attempts) << "retried inside a " << window.count() << " ms window";
    clock->Advance(milliseconds{1});
    EXPECT_FALSE(client.Command({"GET", "k"}));
    EXPECT_EQ(redis.connections(), ++attempts) << "no retry after a " << window.count() << " ms window";
  }
}

// Once Redis answers again the backoff is over: the next outage starts from 250 ms. That
// outage hangs a command on an open connection, which backs off like a hung connect.
TEST(RedisClient, AnswerEndsTheBackoff) {
  FakeRedis redis;
  ASSERT_TRUE(redis.listening());
  auto clock = std::make_shared<SteppedClock>();
  RedisClient client(redis.Options("secret"), Driven(clock));
  ASSERT_FALSE(client.Ping());
  clock->Advance(milliseconds{250});
  ASSERT_FALSE(client.Ping());  // the window is 500 ms now
  ASSERT_EQ(redis.connections(), 2);
  redis.set_answering(true);
  clock->Advance(milliseconds{500});
  const auto answered = client.Ping();
  EXPECT_TRUE(answered) << answered.error().detail;
  EXPECT_EQ(redis.connections(), 3);
  redis.set_answering(false);
  EXPECT_FALSE(client.Ping());  // PING on the open connection times out
  clock->Advance(milliseconds{249});
  EXPECT_FALSE(client.Ping());
  EXPECT_EQ(redis.connections(), 3);
  clock->Advance(milliseconds{1});
  EXPECT_FALSE(client.Ping());
  EXPECT_EQ(redis.connections(), 4) << "the window after the answer was not 250 ms";
}

// A refused connect costs no wait: no backoff, so the first call after Redis is back works.
TEST(RedisClient, RefusedConnectIsRetriedByTheNextCall) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  auto options = redis.options();
  ASSERT_TRUE(options);
  ASSERT_TRUE(redis.Stop());
  auto clock = std::make_shared<SteppedClock>();  // never advanced
  RedisClient client(std::move(*options), Driven(clock));
  EXPECT_FALSE(client.Ping());
  ASSERT_TRUE(redis.Start());
  const auto ping = client.Ping();
  EXPECT_TRUE(ping) << ping.error().detail;
}

TEST(RedisClient, ReconnectsOnTheNextCallAfterARestart) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  auto options = redis.options();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  ASSERT_TRUE(client.Ping());
  ASSERT_TRUE(redis.Stop());
  EXPECT_FALSE(client.Ping());
  ASSERT_TRUE(redis.Start());
  auto ping = client.Ping();
  EXPECT_TRUE(ping) << ping.error().detail;
}

}  // namespace
}  // namespace writ::store
