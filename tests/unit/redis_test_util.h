// Helpers of the Redis tests (writ_redis_tests): the fixture server's options (ctest's
// fixture "redis" starts it with tests/support/redis.sh and passes its directory in
// WRIT_REDIS_DIR), a key prefix per test, and private servers for tests that stop Redis.
// Without a server the tests FAIL: a security property is never skipped.
#ifndef WRIT_TESTS_UNIT_REDIS_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_REDIS_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "store/redis_client.h"

namespace writ::testing {

inline std::string ReadTrimmed(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
    value.pop_back();
  }
  return value;
}

// The options of the Redis whose tests/support/redis.sh directory is `dir`; ADD_FAILURE
// and nullopt when there is none.
inline std::optional<store::RedisOptions> RedisOptionsFrom(const std::filesystem::path& dir) {
  const std::string url_text = ReadTrimmed(dir / "url");
  auto url = store::ParseRedisUrl(url_text);
  if (!url) {
    ADD_FAILURE() << "no Redis in " << dir << " (" << url.error().detail
                  << "): run through ctest (fixture \"redis\") or tests/support/redis.sh start DIR";
    return std::nullopt;
  }
  store::RedisOptions options;
  options.url = *url;
  options.password = SecretBytes::FromString(ReadTrimmed(dir / "password"));
  options.connect_timeout = std::chrono::milliseconds{500};
  options.command_timeout = std::chrono::milliseconds{500};
  return options;
}

// The fixture server of ctest (WRIT_REDIS_DIR).
inline std::optional<store::RedisOptions> FixtureRedis() {
  const char* dir = std::getenv("WRIT_REDIS_DIR");
  if (dir == nullptr || *dir == '\0') {
    ADD_FAILURE() << "WRIT_REDIS_DIR is not set: run through ctest (fixture \"redis\")";
    return std::nullopt;
  }
  return RedisOptionsFrom(dir);
}

// "writ-test:<random>:": keys of one test never meet another's.
inline std::string UniquePrefix() {
  static std::atomic<int> counter{0};
  return "writ-test:" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ":";
}

// A Redis of the test's own (tests/support/redis.sh in a temporary directory), for tests
// that stop and restart it. Removed at destruction.
class PrivateRedis {
 public:
  PrivateRedis() : dir_(std::filesystem::temp_directory_path() / ("writ-redis-" + UniquePrefix().substr(10, 30))) {
    std::filesystem::remove_all(dir_);
    started_ = Run("start");
  }
  ~PrivateRedis() { (void)Run("clean"); }
  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  bool started() const { return started_; }
  std::optional<store::RedisOptions> options() const { return RedisOptionsFrom(dir_); }
  // Kills the server (SIGTERM via its pidfile) / starts it again on the same port.
  bool Stop() { return Run("stop"); }
  bool Start() { return Run("start"); }

 private:
  bool Run(const std::string& command) {
    std::string line = std::string(WRIT_REDIS_SCRIPT) + " " + command + " '" + dir_.string() + "' >/dev/null";
    return std::system(line.c_str()) == 0;
  }
  std::filesystem::path dir_;
  bool started_ = false;
};

}  // namespace writ::testing

#endif  // WRIT_TESTS_UNIT_REDIS_TEST_UTIL_H_
