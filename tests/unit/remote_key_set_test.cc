// RemoteKeySet against a real HTTP server on loopback: loading, freshness, revalidation,
// the unknown-kid refetch and its cooldown, failure handling and concurrency.
#include "writ/remote_key_set.h"

#include <chrono>
#include <thread>
#include <vector>

#include "remote_key_set_test_util.h"

namespace writ::testing {
namespace {

using std::chrono::seconds;

TEST_F(RemoteKeySetTest, CreateDoesNotFetch) {
  server_.Respond(Ok(JwksOf({key1_})));
  auto remote = Make();
  EXPECT_EQ(server_.requests(), 0);
  EXPECT_FALSE(remote->last_error());
  EXPECT_EQ(remote->url(), server_.Url());
}

TEST_F(RemoteKeySetTest, FirstCurrentFetchesTheDocument) {
  server_.Respond(Ok(JwksOf({key1_, key2_})));
  auto remote = Make();
  auto keys = remote->Current();
  ASSERT_TRUE(Succeeds(keys));
  EXPECT_EQ((*keys)->size(), 2u);
  EXPECT_NE((*keys)->FindByKid("k1"), nullptr);
  const RecordedRequest request = server_.last_request();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/jwks.json");
  EXPECT_EQ(request.Header("accept"), "application/jwk-set+json, application/json");
  EXPECT_EQ(request.Header("if-none-match"), "");
}

TEST_F(RemoteKeySetTest, FreshSetIsServedWithoutFetching) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto remote = Make();
  auto first = Unwrap(remote->Current(), "Current");
  clock_->Advance(seconds(59));
  auto second = Unwrap(remote->Current(), "Current");
  EXPECT_EQ(first, second);
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(RemoteKeySetTest, VerifiesATokenOfAPublishedKey) {
  server_.Respond(Ok(JwksOf({key1_})));
  auto remote = Make();
  auto verified = remote->Verify(TokenOf(key1_), validator_);
  ASSERT_TRUE(Succeeds(verified));
  EXPECT_EQ(verified->kid(), "k1");
  EXPECT_EQ(verified->subject(), "alice");
}

TEST_F(RemoteKeySetTest, FailsClosedWhenNeverLoadedAndServerIsDown) {
  std::string url;
  {
    JwksTestServer gone;
    url = gone.Url();
  }
  auto options = Options();
  options.url = url;
  auto remote = Make(options);
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kIo));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_), validator_), ErrorCode::kIo));
  ASSERT_TRUE(remote->last_error());
  EXPECT_EQ(remote->last_error()->code, ErrorCode::kIo);
}

TEST_F(RemoteKeySetTest, FailsClosedWhenNeverLoadedAndServerAnswers500) {
  server_.Respond(Answer(500, JwksOf({key1_})));
  auto remote = Make();
  auto keys = remote->Current();
  ASSERT_TRUE(FailsWith(keys, ErrorCode::kIo));
  EXPECT_NE(keys.error().detail.find("HTTP 500"), std::string::npos) << keys.error().detail;
}

TEST_F(RemoteKeySetTest, FailsClosedWhenNeverLoadedAndDocumentIsMalformed) {
  server_.Respond(Ok("{\"keys\":[}"));
  auto remote = Make();
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_), validator_), ErrorCode::kMalformed));
}

TEST_F(RemoteKeySetTest, FailedFirstLoadIsRetriedOnlyAfterTheCooldown) {
  server_.Respond(Answer(503));
  auto remote = Make();  // min_refresh 30 s
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kIo));
  server_.Respond(Ok(JwksOf({key1_})));
  clock_->Advance(seconds(29));
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kIo));  // the recorded error
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  EXPECT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
  EXPECT_FALSE(remote->last_error());
}

TEST_F(RemoteKeySetTest, KeepsTheLastGoodSetWhenARefreshFails) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto remote = Make();
  auto loaded = Unwrap(remote->Current(), "Current");
  server_.Respond(Answer(500));
  clock_->Advance(seconds(60));
  auto kept = remote->Current();
  ASSERT_TRUE(Succeeds(kept));
  EXPECT_EQ(*kept, loaded);
  EXPECT_EQ(server_.requests(), 2);
  ASSERT_TRUE(remote->last_error());
  EXPECT_EQ(remote->last_error()->code, ErrorCode::kIo);
  EXPECT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
  // Retried no sooner than min_refresh after the failed attempt.
  clock_->Advance(seconds(29));
  EXPECT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
  server_.Respond(Ok(JwksOf({key2_}), "max-age=60"));
  clock_->Advance(seconds(1));
  EXPECT_NE(Unwrap(remote->Current(), "Current")->FindByKid("k2"), nullptr);
  EXPECT_EQ(server_.requests(), 3);
  EXPECT_FALSE(remote->last_error());
}

// An issuer kept unreachable must not keep a key it removed valid for ever: past
// max_stale the last good set is no longer served, and a later success restores it.
TEST_F(RemoteKeySetTest, AttackUnreachableIssuerCannotKeepAStaleSetForEver) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto options = Options();
  options.max_stale = seconds(600);
  auto remote = Make(options);
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Answer(503));
  clock_->Advance(seconds(60 + 599));
  EXPECT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
  clock_->Advance(seconds(1));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_), validator_), ErrorCode::kIo));
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kIo));
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  clock_->Advance(seconds(30));
  EXPECT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
}

TEST_F(RemoteKeySetTest, MaxStaleOutsideItsRangeIsRefused) {
  auto options = Options();
  options.max_stale = seconds(29);
  EXPECT_TRUE(FailsWith(RemoteKeySet::Create(options), ErrorCode::kInvalidArgument));
  options.max_stale = std::chrono::hours(24 * 31);
  EXPECT_TRUE(FailsWith(RemoteKeySet::Create(options), ErrorCode::kInvalidArgument));
}

TEST_F(RemoteKeySetTest, KeepsTheLastGoodSetWhenTheNewDocumentIsMalformed) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Ok("not json"));
  clock_->Advance(seconds(60));
  auto kept = remote->Current();
  ASSERT_TRUE(Succeeds(kept));
  EXPECT_NE((*kept)->FindByKid("k1"), nullptr);
  ASSERT_TRUE(remote->last_error());
  EXPECT_EQ(remote->last_error()->code, ErrorCode::kMalformed);
}

TEST_F(RemoteKeySetTest, PicksUpARotationWhenMaxAgeExpires) {
  server_.Respond(Ok(JwksOf({key1_}), "public, max-age=120"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Ok(JwksOf({key2_}), "public, max-age=120"));
  clock_->Advance(seconds(119));
  EXPECT_NE(Unwrap(remote->Current(), "Current")->FindByKid("k1"), nullptr);
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  auto rotated = Unwrap(remote->Current(), "Current");
  EXPECT_EQ(rotated->FindByKid("k1"), nullptr);
  EXPECT_NE(rotated->FindByKid("k2"), nullptr);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, MaxAgeIsCappedByMaxAgeCap) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=86400"));
  auto options = Options();
  options.max_age_cap = seconds(600);
  auto remote = Make(options);
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(599));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, NoStoreCountsAsMinRefresh) {
  server_.Respond(Ok(JwksOf({key1_}), "no-store"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(29));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, DefaultMaxAgeAppliesWithoutCacheControl) {
  server_.Respond(Ok(JwksOf({key1_}), ""));
  auto remote = Make();  // default_max_age 300 s
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(299));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, UnknownKidTriggersOneRefetch) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
  server_.Respond(Ok(JwksOf({key1_, key2_}), "max-age=3600"));
  clock_->Advance(seconds(30));
  auto verified = remote->Verify(TokenOf(key2_), validator_);
  ASSERT_TRUE(Succeeds(verified));
  EXPECT_EQ(verified->kid(), "k2");
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, UnknownKidWithinTheCooldownDoesNotRefetch) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Ok(JwksOf({key1_, key2_}), "max-age=3600"));
  clock_->Advance(seconds(29));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key2_), validator_), ErrorCode::kUnknownKid));
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  EXPECT_TRUE(Succeeds(remote->Verify(TokenOf(key2_), validator_)));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, SecondUnknownKidWithinTheCooldownDoesNotRefetch) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(30));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key2_), validator_), ErrorCode::kUnknownKid));
  EXPECT_EQ(server_.requests(), 2);
  clock_->Advance(seconds(29));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key2_), validator_), ErrorCode::kUnknownKid));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, OtherFailuresDoNotRefetch) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  const std::string expired = attack_test::SignJson(
      key1_, attack_test::HeaderFor(key1_), "{\"exp\":" + std::to_string(attack_test::kNowSeconds) + "}");
  EXPECT_TRUE(FailsWith(remote->Verify(expired, validator_), ErrorCode::kExpired));
  clock_->Advance(seconds(60));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_) + "x", validator_), ErrorCode::kMalformed));
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(RemoteKeySetTest, KeysForAnUnknownKidRefetchesOnce) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->KeysFor("k1")));
  server_.Respond(Ok(JwksOf({key2_}), "max-age=3600"));
  clock_->Advance(seconds(30));
  ASSERT_TRUE(Succeeds(remote->KeysFor("k1")));
  EXPECT_EQ(server_.requests(), 1);
  auto keys = remote->KeysFor("k2");
  ASSERT_TRUE(Succeeds(keys));
  EXPECT_NE((*keys)->FindByKid("k2"), nullptr);
  EXPECT_EQ(server_.requests(), 2);
  EXPECT_TRUE(Succeeds(remote->KeysFor("k3")));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, SendsIfNoneMatchAndKeepsTheSetOn304) {
  server_.RespondWith([&](const RecordedRequest& request) {
    if (request.Header("if-none-match") == "\"v1\"") {
      return Answer(304);  // no Cache-Control: default_max_age
    }
    return Ok(JwksOf({key1_}), "max-age=60", "\"v1\"");
  });
  auto remote = Make();
  auto loaded = Unwrap(remote->Current(), "Current");
  clock_->Advance(seconds(60));
  auto revalidated = Unwrap(remote->Current(), "Current");
  EXPECT_EQ(revalidated, loaded);
  EXPECT_EQ(server_.requests(), 2);
  EXPECT_EQ(server_.last_request().Header("if-none-match"), "\"v1\"");
  EXPECT_FALSE(remote->last_error());
  // The 304 renewed freshness: default_max_age (300 s) from the revalidation.
  clock_->Advance(seconds(299));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 3);
}

TEST_F(RemoteKeySetTest, A304TakesItsOwnMaxAge) {
  server_.RespondWith([&](const RecordedRequest& request) {
    if (!request.Header("if-none-match").empty()) {
      CannedResponse not_modified = Answer(304);
      not_modified.headers.emplace_back("Cache-Control", "max-age=45");
      return not_modified;
    }
    return Ok(JwksOf({key1_}), "max-age=60", "W/\"weak-1\"");
  });
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(60));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.last_request().Header("if-none-match"), "W/\"weak-1\"");
  clock_->Advance(seconds(44));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 3);
}

TEST_F(RemoteKeySetTest, NoIfNoneMatchAfterAResponseWithoutETag) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60", "\"v1\""));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Ok(JwksOf({key2_}), "max-age=60"));
  clock_->Advance(seconds(60));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.last_request().Header("if-none-match"), "\"v1\"");
  clock_->Advance(seconds(60));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 3);
  EXPECT_EQ(server_.last_request().Header("if-none-match"), "");
}

TEST_F(RemoteKeySetTest, A304ToAnUnconditionalRequestIsAnError) {
  server_.Respond(Answer(304));
  auto remote = Make();
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kIo));
}

TEST_F(RemoteKeySetTest, RefreshFetchesWithinTheCooldown) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  server_.Respond(Ok(JwksOf({key2_}), "max-age=3600"));
  ASSERT_TRUE(Succeeds(remote->Refresh()));
  EXPECT_EQ(server_.requests(), 2);
  EXPECT_NE(Unwrap(remote->Current(), "Current")->FindByKid("k2"), nullptr);
  server_.Respond(Answer(502));
  EXPECT_TRUE(FailsWith(remote->Refresh(), ErrorCode::kIo));
  EXPECT_NE(Unwrap(remote->Current(), "Current")->FindByKid("k2"), nullptr);
  EXPECT_EQ(server_.requests(), 3);
}

TEST_F(RemoteKeySetTest, AnEmptySetVerifiesNothing) {
  server_.Respond(Ok("{\"keys\":[]}", "max-age=3600"));
  auto remote = Make();
  auto keys = remote->Current();
  ASSERT_TRUE(Succeeds(keys));
  EXPECT_EQ((*keys)->size(), 0u);
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_), validator_), ErrorCode::kUnknownKid));
}

TEST_F(RemoteKeySetTest, ConcurrentFirstCallersShareOneFetch) {
  CannedResponse held = Ok(JwksOf({key1_}));
  held.hold = true;
  server_.Respond(held);
  auto remote = Make();
  std::vector<std::thread> callers;
  std::vector<int> loaded(4, 0);
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    callers.emplace_back([&, i] { loaded[i] = remote->Current().has_value() ? 1 : 0; });
  }
  ASSERT_TRUE(server_.WaitForRequests(1));
  server_.Release();
  for (std::thread& caller : callers) {
    caller.join();
  }
  EXPECT_EQ(loaded, std::vector<int>(4, 1));
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(RemoteKeySetTest, CallersWithALoadedSetDoNotWaitForARefetch) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto remote = Make();
  auto loaded = Unwrap(remote->Current(), "Current");
  CannedResponse held = Ok(JwksOf({key2_}), "max-age=60");
  held.hold = true;
  server_.Respond(held);
  clock_->Advance(seconds(60));
  std::thread fetching([&] { (void)remote->Current(); });
  ASSERT_TRUE(server_.WaitForRequests(2));
  auto meanwhile = remote->Current();  // the refetch is in flight: the stale set answers
  ASSERT_TRUE(Succeeds(meanwhile));
  EXPECT_EQ(*meanwhile, loaded);
  server_.Release();
  fetching.join();
  EXPECT_NE(Unwrap(remote->Current(), "Current")->FindByKid("k2"), nullptr);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(RemoteKeySetTest, ATimeoutEndsTheFetchWithinTheTimeout) {
  CannedResponse held = Ok(JwksOf({key1_}));
  held.hold = true;  // never answers while the client waits
  server_.Respond(held);
  auto options = Options();
  options.timeout = std::chrono::milliseconds(300);
  auto remote = Make(options);
  // Elapsed time is measured here because the bound under test is real time.
  const auto started = std::chrono::steady_clock::now();
  auto keys = remote->Current();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(FailsWith(keys, ErrorCode::kIo));
  EXPECT_NE(keys.error().detail.find("timed out"), std::string::npos) << keys.error().detail;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
  server_.Release();
}

TEST_F(RemoteKeySetTest, LoadsOverTlsWithATrustedCertificate) {
  TestCertificate certificate;
  JwksTestServer tls_server(&certificate);
  tls_server.Respond(Ok(JwksOf({key1_})));
  auto options = Options();
  options.url = tls_server.Url();
  options.ca_file = certificate.file();
  auto remote = Make(options);
  ASSERT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
  EXPECT_EQ(tls_server.requests(), 1);
}

TEST(RemoteKeySetCreate, AcceptsHttpsAndLoopbackHttp) {
  for (const char* url : {"https://auth.example.com/.well-known/jwks.json", "http://127.0.0.1:8080/jwks",
                          "http://127.9.8.7/jwks", "http://localhost:1/jwks", "http://LOCALHOST/jwks",
                          "http://[::1]:8443/jwks"}) {
    RemoteKeySetOptions options;
    options.url = url;
    EXPECT_TRUE(Succeeds(RemoteKeySet::Create(options))) << url;
  }
}

TEST(RemoteKeySetCreate, RefusesLoopbackHttpWhenNotAllowed) {
  RemoteKeySetOptions options;
  options.url = "http://127.0.0.1:8080/jwks";
  options.allow_loopback_http = false;
  EXPECT_TRUE(FailsWith(RemoteKeySet::Create(options), ErrorCode::kInvalidArgument));
  options.url = "https://127.0.0.1:8080/jwks";
  EXPECT_TRUE(Succeeds(RemoteKeySet::Create(options)));
}

TEST(RemoteKeySetCreate, RefusesContradictoryLimits) {
  const auto refused = [](auto change) {
    RemoteKeySetOptions options;
    options.url = "https://auth.example.com/jwks";
    change(options);
    return FailsWith(RemoteKeySet::Create(options), ErrorCode::kInvalidArgument);
  };
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.min_refresh = seconds(0); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.max_age_cap = seconds(29); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.default_max_age = seconds(29); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.default_max_age = seconds(3601); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.max_document_bytes = 0; }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.max_document_bytes = (1 << 20) + 1; }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.timeout = std::chrono::milliseconds(0); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.timeout = std::chrono::milliseconds(60'001); }));
  EXPECT_TRUE(refused([](RemoteKeySetOptions& o) { o.url = ""; }));
}

}  // namespace
}  // namespace writ::testing
