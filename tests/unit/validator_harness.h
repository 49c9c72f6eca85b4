// A signer and verifier pair for validator tests: tokens signed with writ::Signer and
// checked through writ::Verifier with a validator at a fixed clock time.
#ifndef WRIT_TESTS_UNIT_VALIDATOR_HARNESS_H_
#define WRIT_TESTS_UNIT_VALIDATOR_HARNESS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ::validator_test {

using attack_test::ClockAt;
using attack_test::Unwrap;

inline constexpr std::int64_t kNow = attack_test::kNowSeconds;

// One HS256 key, a signer and a verifier for it.
class Harness {
 public:
  Harness()
      : key_(attack_test::GenerateKey(Alg::kHs256, "validator-test")),
        signer_(Unwrap(Signer::Create(key_), "Signer::Create")),
        verifier_(attack_test::VerifierFor({key_})) {}

  std::string Sign(const ClaimsBuilder& claims, const SignOptions& options = {}) const {
    return Unwrap(signer_.Sign(claims, options), "Signer::Sign");
  }

  std::string SignWithoutExp(const ClaimsBuilder& claims, std::string type = "JWT") const {
    SignOptions options;
    options.type = std::move(type);
    options.allow_missing_expiration = true;
    return Sign(claims, options);
  }

  // Verifies `token` with `builder` built at clock time `now`.
  Result<VerifiedJwt> VerifyAt(const std::string& token, ValidatorBuilder builder,
                               std::int64_t now) const {
    Validator validator = Unwrap(builder.SetClock(ClockAt(now)).Build(), "ValidatorBuilder");
    return verifier_.Verify(token, validator);
  }

  // Signs `claims` (allowing any claim set) and verifies at `now` with `builder`.
  Result<VerifiedJwt> Check(const ClaimsBuilder& claims, ValidatorBuilder builder,
                            std::int64_t now = kNow) const {
    return VerifyAt(SignWithoutExp(claims), std::move(builder), now);
  }

 private:
  Key key_;
  Signer signer_;
  Verifier verifier_;
};

inline ClaimsBuilder ClaimsExpiringAt(std::int64_t exp) {
  ClaimsBuilder claims;
  claims.SetSubject("alice").SetExpiresAt(attack_test::At(exp));
  return claims;
}

// Valid claims (exp in the future) plus `name` set to the raw JSON `value`.
inline ClaimsBuilder ClaimsWithJson(std::string_view name, std::string_view value) {
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  Status set = claims.SetJson(name, value);
  EXPECT_TRUE(set.has_value()) << "SetJson(" << name << ", " << value << ")";
  return claims;
}

}  // namespace writ::validator_test

#endif  // WRIT_TESTS_UNIT_VALIDATOR_HARNESS_H_
