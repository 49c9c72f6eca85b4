// Shared by the RemoteKeySet tests: a loopback JWKS server, a manual clock, run-time keys
// and tokens signed with them.
#ifndef WRIT_TESTS_UNIT_REMOTE_KEY_SET_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_REMOTE_KEY_SET_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attack_test_util.h"
#include "jwks_test_server.h"
#include "manual_clock.h"
#include "writ/remote_key_set.h"

namespace writ::testing {

using attack_test::FailsWith;
using attack_test::Succeeds;
using attack_test::Unwrap;

// The public JWK Set of `keys`.
inline std::string JwksOf(const std::vector<Key>& keys) {
  std::vector<Key> public_keys;
  for (const Key& key : keys) {
    public_keys.push_back(Unwrap(key.PublicKey(), "Key::PublicKey"));
  }
  return Unwrap(KeySet::Create(std::move(public_keys)), "KeySet::Create").ToPublicJwks();
}

// A 200 with `body`, and Cache-Control and ETag when given.
inline CannedResponse Ok(std::string body, std::string cache_control = "public, max-age=60",
                         std::string etag = "") {
  CannedResponse response;
  response.body = std::move(body);
  if (!cache_control.empty()) {
    response.headers.emplace_back("Cache-Control", std::move(cache_control));
  }
  if (!etag.empty()) {
    response.headers.emplace_back("ETag", std::move(etag));
  }
  return response;
}

inline CannedResponse Answer(int status, std::string body = "") {
  CannedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

class RemoteKeySetTest : public ::testing::Test {
 protected:
  // Defaults of RemoteKeySetOptions but a 2 s timeout, the manual clock and our server.
  RemoteKeySetOptions Options() const {
    RemoteKeySetOptions options;
    options.url = server_.Url();
    options.clock = clock_;
    options.timeout = std::chrono::milliseconds(2000);
    return options;
  }

  std::shared_ptr<RemoteKeySet> Make(RemoteKeySetOptions options) {
    return Unwrap(RemoteKeySet::Create(std::move(options)), "RemoteKeySet::Create");
  }
  std::shared_ptr<RemoteKeySet> Make() { return Make(Options()); }

  // A token of `key` that DefaultValidator() accepts.
  static std::string TokenOf(const Key& key) {
    return attack_test::SignJson(key, attack_test::HeaderFor(key), attack_test::ValidClaimsJson());
  }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  JwksTestServer server_;
  Key key1_ = attack_test::GenerateKey(Alg::kEs256, "k1");
  Key key2_ = attack_test::GenerateKey(Alg::kEs256, "k2");
  Validator validator_ = attack_test::DefaultValidator();
};

}  // namespace writ::testing

#endif  // WRIT_TESTS_UNIT_REMOTE_KEY_SET_TEST_UTIL_H_
