#include "server/password_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>
#include <vector>

namespace writ::server {
namespace {

using namespace std::string_literals;

// The floor parameters (19 MiB, t=2): each hash or verify costs tens of milliseconds, so
// the tests share one hasher and keep the number of Argon2id evaluations small.
PasswordPolicy FloorPolicy() {
  PasswordPolicy policy;
  policy.opslimit = 2;
  policy.memlimit_bytes = 19 * 1024 * 1024;
  return policy;
}

const PasswordHasher& SharedHasher() {
  static const PasswordHasher hasher = [] {
    auto created = PasswordHasher::Create(FloorPolicy());
    EXPECT_TRUE(created.has_value());
    return std::move(created).value();  // throws, failing the test, if Create failed
  }();
  return hasher;
}

const std::string& SharedHash() {
  static const std::string hash = [] {
    auto hashed = SharedHasher().Hash("correct horse battery staple");
    EXPECT_TRUE(hashed.has_value());
    return hashed.value_or("");
  }();
  return hash;
}

TEST(PasswordHasher, HashIsArgon2idWithThePolicyParameters) {
  EXPECT_EQ(SharedHash().rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << SharedHash();
}

TEST(PasswordHasher, RightPasswordMatches) {
  EXPECT_EQ(SharedHasher().Verify("correct horse battery staple", SharedHash()), PasswordCheck::kMatch);
}

TEST(PasswordHasher, WrongPasswordMismatches) {
  EXPECT_EQ(SharedHasher().Verify("correct horse battery stapler", SharedHash()), PasswordCheck::kMismatch);
}

TEST(PasswordHasher, SamePasswordHashesDifferBySalt) {
  auto again = SharedHasher().Hash("correct horse battery staple");
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(*again, SharedHash());
  EXPECT_EQ(SharedHasher().Verify("correct horse battery staple", *again), PasswordCheck::kMatch);
}

TEST(PasswordHasher, PasswordIsBytesIncludingNul) {
  const std::string with_nul = "abc\0defgh"s;
  auto hashed = SharedHasher().Hash(with_nul);
  ASSERT_TRUE(hashed.has_value());
  // A C-string API would have hashed only "abc".
  EXPECT_EQ(SharedHasher().Verify("abc", *hashed), PasswordCheck::kMismatch);
  EXPECT_EQ(SharedHasher().Verify(with_nul, *hashed), PasswordCheck::kMatch);
}

TEST(PasswordHasher, MalformedStoredHashMismatchesWithoutCrashing) {
  const std::string& good = SharedHash();
  std::string tampered_tag = good;
  tampered_tag.back() = tampered_tag.back() == 'A' ? 'B' : 'A';
  const std::vector<std::string> malformed = {
      "",
      "not a hash",
      "$argon2id$",
      "$argon2id$v=19$m=19456,t=2,p=1$",
      "$argon2id$v=19$m=99999999999999999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA",
      good.substr(0, good.size() / 2),
      good + "\0trailing"s,
      good + std::string(200, 'A'),
      std::string(100'000, '$'),
  };
  for (const std::string& stored : malformed) {
    EXPECT_EQ(SharedHasher().Verify("correct horse battery staple", stored), PasswordCheck::kMismatch)
        << stored.substr(0, 80);
  }
  EXPECT_EQ(SharedHasher().Verify("correct horse battery staple", tampered_tag), PasswordCheck::kMismatch);
}

TEST(PasswordHasher, HashWithTheSameParametersNeedsNoRehash) {
  EXPECT_FALSE(SharedHasher().NeedsRehash(SharedHash()));
}

TEST(PasswordHasher, HashWithOtherParametersNeedsRehash) {
  PasswordPolicy stronger = FloorPolicy();
  stronger.opslimit = 3;
  auto strong_hasher = PasswordHasher::Create(stronger);
  ASSERT_TRUE(strong_hasher.has_value());
  auto strong_hash = strong_hasher->Hash("correct horse battery staple");
  ASSERT_TRUE(strong_hash.has_value());
  EXPECT_TRUE(SharedHasher().NeedsRehash(*strong_hash));
  EXPECT_FALSE(strong_hasher->NeedsRehash(*strong_hash));
  EXPECT_TRUE(strong_hasher->NeedsRehash(SharedHash()));
  // An old hash still verifies after the policy changed, so the user can log in and be rehashed.
  EXPECT_EQ(SharedHasher().Verify("correct horse battery staple", *strong_hash), PasswordCheck::kMatch);
}

TEST(PasswordHasher, MalformedStoredHashNeedsRehash) {
  EXPECT_TRUE(SharedHasher().NeedsRehash(""));
  EXPECT_TRUE(SharedHasher().NeedsRehash("not a hash"));
  EXPECT_TRUE(SharedHasher().NeedsRehash(SharedHash() + "\0x"s));
}

TEST(PasswordHasher, PolicyUnderTheFloorIsRefused) {
  PasswordPolicy one_pass = FloorPolicy();
  one_pass.opslimit = 1;
  PasswordPolicy small_memory = FloorPolicy();
  small_memory.memlimit_bytes = 19 * 1024 * 1024 - 1;
  PasswordPolicy no_cost = FloorPolicy();
  no_cost.opslimit = 0;
  no_cost.memlimit_bytes = 0;
  for (const PasswordPolicy& weak : {one_pass, small_memory, no_cost}) {
    auto hasher = PasswordHasher::Create(weak);
    ASSERT_FALSE(hasher.has_value());
    EXPECT_EQ(hasher.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(PasswordHasher, PolicyOverLibsodiumLimitsIsRefused) {
  PasswordPolicy huge_ops = FloorPolicy();
  huge_ops.opslimit = std::uint64_t{crypto_pwhash_argon2id_OPSLIMIT_MAX} + 1;
  auto hasher = PasswordHasher::Create(huge_ops);
  ASSERT_FALSE(hasher.has_value());
  EXPECT_EQ(hasher.error().code, ErrorCode::kInvalidArgument);
}

TEST(PasswordHasher, DummyVerifyReturnsForAnyPassword) {
  // It must not match, crash or short-circuit on odd inputs; its cost is that of Verify.
  SharedHasher().VerifyAgainstDummy("");
  SharedHasher().VerifyAgainstDummy("x\0y"s);
  SharedHasher().VerifyAgainstDummy(std::string(1024, 'p'));
  EXPECT_EQ(SharedHasher().policy().opslimit, 2u);
}

}  // namespace
}  // namespace writ::server
