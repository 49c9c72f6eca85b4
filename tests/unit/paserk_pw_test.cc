// PASERK local-pw and secret-pw, k4 (Argon2id) and k3 (PBKDF2-SHA384): every vector of
// tests/vectors/paseto/k{3,4}.{local,secret}-pw.json unwraps to the vector's key and, with
// the salt and nonce the vector was made with (read from its data), wraps back byte for
// byte; expected failures fail with the right ErrorCode. Cost parameters in a PASERK are
// capped before any key derivation runs.
#include <gtest/gtest.h>

#include "core/base64url.h"
#include "core/paserk/paserk_internal.h"
#include "paserk_test_util.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk_test::Bytes;
using paserk_test::DataOf;
using paserk_test::LoadPaserkVectors;
using paserk_test::PaserkCase;
using paserk_test::WithCharFlipped;
using vectors::AsBytes;

// The cheapest costs libsodium and OpenSSL accept, for round trips that need no strength.
const paserk::Argon2idParams kCheapArgon2id{8192, 1, 1};
const paserk::Pbkdf2Params kCheapPbkdf2{1};

// The vectors' passwords are used as the literal text of the member.
template <typename Key, typename Unwrap, typename Recreate>
void CheckPwFile(const char* file, std::string_view prefix, Unwrap unwrap, Recreate recreate) {
  const auto vectors = LoadPaserkVectors(file);
  ASSERT_EQ(vectors.cases.size(), 6u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    Result<Key> unwrapped = unwrap(c.Text("paserk"), c.Text("password"));
    if (c.expect_fail) {
      ASSERT_FALSE(unwrapped.has_value());
      EXPECT_EQ(unwrapped.error().code, paserk_test::ExpectedFailure(c.Text("paserk"), prefix));
      if (c.Text("paserk").starts_with(prefix)) {
        Result<Key> canonical = unwrap(paserk_test::Canonical(c.Text("paserk"), prefix), c.Text("password"));
        ASSERT_FALSE(canonical.has_value());
        EXPECT_EQ(canonical.error().code, ErrorCode::kBadSignature);
      }
    } else {
      ASSERT_TRUE(unwrapped.has_value()) << unwrapped.error().detail;
      EXPECT_EQ(Bytes(unwrapped->secret()), c.Hex("unwrapped"));
      auto rewrapped = recreate(*unwrapped, c, DataOf(c.Text("paserk"), prefix));
      ASSERT_TRUE(rewrapped.has_value()) << rewrapped.error().detail;
      EXPECT_EQ(*rewrapped, c.Text("paserk"));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

// k4 data: salt(16) mem(8) time(4) para(4) nonce(24) ...
template <typename Key>
Result<std::string> RecreateV4(const Key& key, const PaserkCase& c, const std::string& data) {
  const paserk::Argon2idParams params{c.Option("memlimit"), static_cast<std::uint32_t>(c.Option("opslimit")), 1};
  return internal::PasswordWrapWithRandomness(key, c.Text("password"), params, data.substr(0, 16),
                                              data.substr(32, 24));
}

// k3 data: salt(32) iterations(4) nonce(16) ...
template <typename Key>
Result<std::string> RecreateV3(const Key& key, const PaserkCase& c, const std::string& data) {
  const paserk::Pbkdf2Params params{static_cast<std::uint32_t>(c.Option("iterations"))};
  return internal::PasswordWrapWithRandomness(key, c.Text("password"), params, data.substr(0, 32),
                                              data.substr(36, 16));
}

TEST(PaserkK4LocalPwVectors, EveryVectorBehavesAsSpecified) {
  CheckPwFile<V4LocalKey>("k4.local-pw.json", "k4.local-pw.", paserk::PasswordUnwrapV4Local,
                          RecreateV4<V4LocalKey>);
}

TEST(PaserkK4SecretPwVectors, EveryVectorBehavesAsSpecified) {
  CheckPwFile<V4SecretKey>("k4.secret-pw.json", "k4.secret-pw.", paserk::PasswordUnwrapV4Secret,
                           RecreateV4<V4SecretKey>);
}

TEST(PaserkK3LocalPwVectors, EveryVectorBehavesAsSpecified) {
  CheckPwFile<V3LocalKey>("k3.local-pw.json", "k3.local-pw.", paserk::PasswordUnwrapV3Local,
                          RecreateV3<V3LocalKey>);
}

TEST(PaserkK3SecretPwVectors, EveryVectorBehavesAsSpecified) {
  CheckPwFile<V3SecretKey>("k3.secret-pw.json", "k3.secret-pw.", paserk::PasswordUnwrapV3Secret,
                           RecreateV3<V3SecretKey>);
}

TEST(PaserkPasswordWrap, V4RoundTripsWithFreshSalt) {
  const V4LocalKey key = V4LocalKey::Generate();
  const V4SecretKey secret = V4SecretKey::Generate();
  auto first = paserk::PasswordWrap(key, "hunter2", kCheapArgon2id);
  auto second = paserk::PasswordWrap(key, "hunter2", kCheapArgon2id);
  auto wrapped_secret = paserk::PasswordWrap(secret, "hunter2", kCheapArgon2id);
  ASSERT_TRUE(first && second && wrapped_secret);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(wrapped_secret->starts_with("k4.secret-pw."));
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(*first, "hunter2")->secret(), key.secret());
  EXPECT_EQ(paserk::PasswordUnwrapV4Secret(*wrapped_secret, "hunter2")->secret(), secret.secret());
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(*first, "hunter3").error().code, ErrorCode::kBadSignature);
}

TEST(PaserkPasswordWrap, V3RoundTripsWithFreshSalt) {
  const V3LocalKey key = V3LocalKey::Generate();
  auto secret = V3SecretKey::Generate();
  ASSERT_TRUE(secret.has_value());
  auto first = paserk::PasswordWrap(key, "hunter2", kCheapPbkdf2);
  auto second = paserk::PasswordWrap(key, "hunter2", kCheapPbkdf2);
  auto wrapped_secret = paserk::PasswordWrap(*secret, "hunter2", kCheapPbkdf2);
  ASSERT_TRUE(first && second && wrapped_secret);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(*first, "hunter2")->secret(), key.secret());
  EXPECT_EQ(paserk::PasswordUnwrapV3Secret(*wrapped_secret, "hunter2")->secret(), secret->secret());
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(*first, "hunter3").error().code, ErrorCode::kBadSignature);
}

TEST(PaserkPasswordUnwrap, AlteredSaltIsBadSignature) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto wrapped = paserk::PasswordWrap(key, "pw", kCheapArgon2id);
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(WithCharFlipped(*wrapped, 13), "pw").error().code, ErrorCode::kBadSignature);
}

// --- Cost caps: a hostile PASERK chooses the costs, and they are authenticated only
// after the key derivation has run, so they are bounded before it.

// A k4 PASERK with the given cost fields and otherwise random-looking bytes.
std::string V4PwWithCosts(std::uint64_t memlimit, std::uint32_t opslimit, std::uint32_t parallelism) {
  std::string data(16, 's');
  for (int shift = 56; shift >= 0; shift -= 8) {
    data.push_back(static_cast<char>((memlimit >> shift) & 0xff));
  }
  for (std::uint32_t value : {opslimit, parallelism}) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      data.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  }
  data.append(24 + 32 + 32, 'x');
  return "k4.local-pw." + internal::Base64UrlEncode(data);
}

std::string V3PwWithIterations(std::uint32_t iterations) {
  std::string data(32, 's');
  for (int shift = 24; shift >= 0; shift -= 8) {
    data.push_back(static_cast<char>((iterations >> shift) & 0xff));
  }
  data.append(16 + 32 + 48, 'x');
  return "k3.local-pw." + internal::Base64UrlEncode(data);
}

TEST(PaserkPasswordUnwrap, Argon2idMemlimitOverOneGibIsTooLarge) {
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(paserk::kMaxArgon2idMemlimit + 1024, 2, 1), "pw").error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(~std::uint64_t{0}, 2, 1), "pw").error().code,
            ErrorCode::kTooLarge);
}

TEST(PaserkPasswordUnwrap, Argon2idOpslimitOverCapIsTooLarge) {
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, paserk::kMaxArgon2idOpslimit + 1, 1), "pw").error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, 0xffffffffu, 1), "pw").error().code, ErrorCode::kTooLarge);
}

TEST(PaserkPasswordUnwrap, Argon2idWithinCapsReachesTheTagCheck) {
  // Costs within the caps are used (and the made-up tag then fails); the cheapest costs
  // keep the test fast.
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, 1, 1), "pw").error().code, ErrorCode::kBadSignature);
}

TEST(PaserkPasswordUnwrap, Argon2idBelowLibsodiumMinimumIsMalformed) {
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(0, 2, 1), "pw").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, 0, 1), "pw").error().code, ErrorCode::kMalformed);
}

TEST(PaserkPasswordUnwrap, Argon2idParallelismOtherThanOneIsUnsupported) {
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, 1, 2), "pw").error().code, ErrorCode::kUnsupportedAlg);
  EXPECT_EQ(paserk::PasswordUnwrapV4Local(V4PwWithCosts(8192, 1, 0), "pw").error().code, ErrorCode::kUnsupportedAlg);
}

TEST(PaserkPasswordUnwrap, Pbkdf2IterationsOverCapIsTooLarge) {
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(V3PwWithIterations(paserk::kMaxPbkdf2Iterations + 1), "pw").error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(V3PwWithIterations(0xffffffffu), "pw").error().code, ErrorCode::kTooLarge);
}

TEST(PaserkPasswordUnwrap, Pbkdf2ZeroIterationsIsMalformed) {
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(V3PwWithIterations(0), "pw").error().code, ErrorCode::kMalformed);
}

TEST(PaserkPasswordUnwrap, Pbkdf2OneIterationIsAccepted) {
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(V3PwWithIterations(1), "pw").error().code, ErrorCode::kBadSignature);
}

TEST(PaserkPasswordWrap, CostsOverCapsAreTooLarge) {
  const V4LocalKey key = V4LocalKey::Generate();
  EXPECT_EQ(paserk::PasswordWrap(key, "pw", {paserk::kMaxArgon2idMemlimit + 1, 2, 1}).error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(paserk::PasswordWrap(key, "pw", {8192, paserk::kMaxArgon2idOpslimit + 1, 1}).error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(paserk::PasswordWrap(V3LocalKey::Generate(), "pw", {paserk::kMaxPbkdf2Iterations + 1}).error().code,
            ErrorCode::kTooLarge);
}

TEST(PaserkPasswordWrap, UnusableCostsAreInvalidArgument) {
  const V4LocalKey key = V4LocalKey::Generate();
  EXPECT_EQ(paserk::PasswordWrap(key, "pw", {1024, 2, 1}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(paserk::PasswordWrap(key, "pw", {8192, 0, 1}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(paserk::PasswordWrap(key, "pw", {8192, 1, 4}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(paserk::PasswordWrap(V3LocalKey::Generate(), "pw", {0}).error().code, ErrorCode::kInvalidArgument);
}

TEST(PaserkPasswordWrapWithRandomness, WrongSaltOrNonceSizeIsInvalidArgument) {
  const V4LocalKey key = V4LocalKey::Generate();
  EXPECT_EQ(internal::PasswordWrapWithRandomness(key, "pw", kCheapArgon2id, std::string(15, 's'), std::string(24, 'n'))
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  const V3LocalKey key3 = V3LocalKey::Generate();
  EXPECT_EQ(internal::PasswordWrapWithRandomness(key3, "pw", kCheapPbkdf2, std::string(32, 's'), std::string(24, 'n'))
                .error()
                .code,
            ErrorCode::kInvalidArgument);
}

TEST(PaserkPasswordUnwrap, OtherVersionOrTypeIsMalformed) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto wrapped = paserk::PasswordWrap(key, "pw", kCheapArgon2id);
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(paserk::PasswordUnwrapV4Secret(*wrapped, "pw").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::PasswordUnwrapV3Local(*wrapped, "pw").error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace writ
