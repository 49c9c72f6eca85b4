#include "writ/verifier.h"

#include <thread>

#include <gtest/gtest.h>

#include "writ/signer.h"

namespace writ {
namespace {

constexpr Seconds kNow{std::chrono::seconds(1764000000)};

std::shared_ptr<const Clock> At(Seconds now) { return std::make_shared<FixedClock>(now); }

std::string Sign(const Key& key, Seconds exp) {
  ClaimsBuilder claims;
  claims.SetIssuer("https://auth.example.com").SetAudience("api").SetSubject("u").SetExpiresAt(exp);
  return *Signer::Create(key)->Sign(claims);
}

TEST(Verifier, EmptyKeySetIsRefused) {
  EXPECT_EQ(Verifier::Create(*KeySet::Create({})).error().code, ErrorCode::kInvalidArgument);
}

TEST(Verifier, SignatureIsCheckedBeforeClaims) {
  // An expired token signed by another key must report the signature, not the expiry:
  // nothing in an unauthenticated payload is looked at.
  auto trusted = *Key::Generate(Alg::kEs256, "k");
  auto attacker = *Key::Generate(Alg::kEs256, "k");
  const std::string token = Sign(attacker, kNow - std::chrono::hours(1));
  auto verifier = Verifier::Create(*KeySet::Create({*trusted.PublicKey()}));
  auto validator = ValidatorBuilder().ExpectAudience("api").SetClock(At(kNow)).Build();
  EXPECT_EQ(verifier->Verify(token, *validator).error().code, ErrorCode::kBadSignature);
}

TEST(Verifier, ClaimsAreCheckedAfterAGoodSignature) {
  auto key = *Key::Generate(Alg::kEdDsa, "k");
  auto verifier = Verifier::Create(*KeySet::Create({*key.PublicKey()}));
  auto validator = ValidatorBuilder().ExpectAudience("api").SetClock(At(kNow)).Build();
  EXPECT_EQ(verifier->Verify(Sign(key, kNow), *validator).error().code, ErrorCode::kExpired);
  EXPECT_TRUE(verifier->Verify(Sign(key, kNow + std::chrono::seconds(1)), *validator).has_value());
}

TEST(Verifier, KeyIsChosenByKidAmongSeveral) {
  auto a = *Key::Generate(Alg::kEs256, "a");
  auto b = *Key::Generate(Alg::kEdDsa, "b");
  auto verifier = Verifier::Create(*KeySet::Create({*a.PublicKey(), *b.PublicKey()}));
  auto validator = ValidatorBuilder().ExpectAudience("api").SetClock(At(kNow)).Build();
  auto verified = verifier->Verify(Sign(b, kNow + std::chrono::hours(1)), *validator);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->kid(), "b");
  EXPECT_EQ(verified->alg(), Alg::kEdDsa);
}

TEST(Verifier, HeaderCacheDoesNotMixTokensOfDifferentKeys) {
  auto a = *Key::Generate(Alg::kHs256, "a");
  auto b = *Key::Generate(Alg::kHs256, "b");
  auto only_a = Verifier::Create(*KeySet::Create({a}));
  auto validator = ValidatorBuilder().ExpectAudience("api").SetClock(At(kNow)).Build();
  const std::string token_a = Sign(a, kNow + std::chrono::hours(1));
  const std::string token_b = Sign(b, kNow + std::chrono::hours(1));
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(only_a->Verify(token_a, *validator).has_value());
    EXPECT_EQ(only_a->Verify(token_b, *validator).error().code, ErrorCode::kUnknownKid);
  }
}

TEST(Verifier, IsSafeToShareAcrossThreads) {
  auto key = *Key::Generate(Alg::kHs256, "k");
  auto verifier = Verifier::Create(*KeySet::Create({key}));
  auto validator = ValidatorBuilder().ExpectAudience("api").SetClock(At(kNow)).Build();
  const std::string good = Sign(key, kNow + std::chrono::hours(1));
  const std::string bad = Sign(*Key::Generate(Alg::kHs256, "k"), kNow + std::chrono::hours(1));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (!verifier->Verify(good, *validator).has_value() || verifier->Verify(bad, *validator).has_value()) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace writ
