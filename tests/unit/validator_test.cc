// Tests of the claim policy's time rules and builder (RFC 7519 §4.1.4-4.1.6, RFC 8725
// §3): every boundary of exp, nbf, iat and max age, NumericDate types and ranges, and
// the settings ValidatorBuilder::Build refuses. Tokens are signed with writ::Signer and
// checked through writ::Verifier at a fixed time.
#include "writ/validator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "attack_test_util.h"
#include "validator_harness.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::ClockAt;
using attack_test::FailsWith;
using attack_test::Succeeds;
using attack_test::Unwrap;
using std::chrono::seconds;
using validator_test::ClaimsExpiringAt;
using validator_test::ClaimsWithJson;
using validator_test::Harness;
using validator_test::kNow;

// ---------------------------------------------------------------- ValidatorBuilder

TEST(ValidatorBuilder, DefaultsBuild) { EXPECT_TRUE(Succeeds(ValidatorBuilder().Build())); }

TEST(ValidatorBuilder, ClockSkewOfExactlyTenMinutesIsAccepted) {
  EXPECT_TRUE(Succeeds(ValidatorBuilder().ClockSkew(seconds(600)).Build()));
  EXPECT_TRUE(Succeeds(ValidatorBuilder().ClockSkew(ValidatorBuilder::kMaxClockSkew).Build()));
}

TEST(ValidatorBuilder, ClockSkewOverTenMinutesIsInvalidArgument) {
  EXPECT_TRUE(
      FailsWith(ValidatorBuilder().ClockSkew(seconds(601)).Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(FailsWith(ValidatorBuilder().ClockSkew(std::chrono::hours(24)).Build(),
                        ErrorCode::kInvalidArgument));
}

TEST(ValidatorBuilder, NegativeClockSkewIsInvalidArgument) {
  EXPECT_TRUE(
      FailsWith(ValidatorBuilder().ClockSkew(seconds(-1)).Build(), ErrorCode::kInvalidArgument));
}

TEST(ValidatorBuilder, ZeroClockSkewIsAccepted) {
  EXPECT_TRUE(Succeeds(ValidatorBuilder().ClockSkew(seconds(0)).Build()));
}

TEST(ValidatorBuilder, NonPositiveMaxAgeIsInvalidArgument) {
  EXPECT_TRUE(
      FailsWith(ValidatorBuilder().MaxAge(seconds(0)).Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      FailsWith(ValidatorBuilder().MaxAge(seconds(-5)).Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(Succeeds(ValidatorBuilder().MaxAge(seconds(1)).Build()));
}

TEST(ValidatorBuilder, EmptyExpectedValuesAreInvalidArgument) {
  EXPECT_TRUE(FailsWith(ValidatorBuilder().ExpectIssuer("").Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      FailsWith(ValidatorBuilder().ExpectAudience("").Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(FailsWith(ValidatorBuilder().ExpectType("").Build(), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(FailsWith(ValidatorBuilder().ExpectSubject("").Build(), ErrorCode::kInvalidArgument));
}

TEST(ValidatorBuilder, ExpectAudienceWithIgnoreAudienceIsInvalidArgument) {
  EXPECT_TRUE(FailsWith(ValidatorBuilder().ExpectAudience("api").IgnoreAudience().Build(),
                        ErrorCode::kInvalidArgument));
  EXPECT_TRUE(FailsWith(ValidatorBuilder().IgnoreAudience().ExpectAudience("api").Build(),
                        ErrorCode::kInvalidArgument));
}

// ---------------------------------------------------------------- exp

TEST(Validator, TokenWithExpEqualToNowIsExpired) {
  Harness h;
  EXPECT_TRUE(FailsWith(h.Check(ClaimsExpiringAt(kNow), ValidatorBuilder()), ErrorCode::kExpired));
}

TEST(Validator, TokenWithExpOneSecondAfterNowIsValid) {
  Harness h;
  EXPECT_TRUE(Succeeds(h.Check(ClaimsExpiringAt(kNow + 1), ValidatorBuilder())));
}

TEST(Validator, TokenWithExpOneSecondBeforeNowIsExpired) {
  Harness h;
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow - 1), ValidatorBuilder()), ErrorCode::kExpired));
}

TEST(Validator, ExpOneSecondInsideSkewIsValid) {
  Harness h;
  // now == exp + skew - 1
  EXPECT_TRUE(
      Succeeds(h.Check(ClaimsExpiringAt(kNow - 29), ValidatorBuilder().ClockSkew(seconds(30)))));
}

TEST(Validator, ExpAtExactlySkewIsExpired) {
  Harness h;
  // now == exp + skew
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow - 30), ValidatorBuilder().ClockSkew(seconds(30))),
                ErrorCode::kExpired));
}

TEST(Validator, ExpAtMaximumSkewBoundary) {
  Harness h;
  ValidatorBuilder builder;
  builder.ClockSkew(seconds(600));
  EXPECT_TRUE(Succeeds(h.Check(ClaimsExpiringAt(kNow - 599), builder)));
  EXPECT_TRUE(FailsWith(h.Check(ClaimsExpiringAt(kNow - 600), builder), ErrorCode::kExpired));
}

TEST(Validator, MissingExpIsMissingClaimByDefault) {
  Harness h;
  ClaimsBuilder claims;
  claims.SetSubject("alice");
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kMissingClaim));
}

TEST(Validator, MissingExpIsAcceptedWithAllowMissingExpiration) {
  Harness h;
  ClaimsBuilder claims;
  claims.SetSubject("alice");
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().AllowMissingExpiration())));
}

TEST(Validator, AllowMissingExpirationStillRejectsPastExp) {
  Harness h;
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow), ValidatorBuilder().AllowMissingExpiration()),
                ErrorCode::kExpired));
}

TEST(Validator, ExpAsNumericStringIsInvalidClaim) {
  Harness h;
  ClaimsBuilder claims;
  claims.SetString("exp", std::to_string(kNow + 300));
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kInvalidClaim));
  ClaimsBuilder short_string;
  short_string.SetString("exp", "123");
  EXPECT_TRUE(FailsWith(h.Check(short_string, ValidatorBuilder()), ErrorCode::kInvalidClaim));
}

TEST(Validator, ExpOfNonNumberTypesIsInvalidClaim) {
  Harness h;
  for (const char* value : {"true", "false", "null", "[1800000300]", "{\"t\":1800000300}"}) {
    SCOPED_TRACE(value);
    ClaimsBuilder claims;
    ASSERT_TRUE(claims.SetJson("exp", value).has_value());
    // AllowMissingExpiration must not turn a wrongly typed exp into an absent one.
    EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kInvalidClaim));
    EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().AllowMissingExpiration()),
                          ErrorCode::kInvalidClaim));
  }
}

TEST(Validator, HugeExpIsInvalidClaim) {
  Harness h;
  for (const char* value : {"1e300", "9223372036854775808", "1.8e19"}) {
    SCOPED_TRACE(value);
    ClaimsBuilder claims;
    ASSERT_TRUE(claims.SetJson("exp", value).has_value());
    EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kInvalidClaim));
  }
}

TEST(Validator, NegativeExpIsInvalidClaim) {
  Harness h;
  for (const char* value : {"-1", "-1e300", "-0.5"}) {
    SCOPED_TRACE(value);
    ClaimsBuilder claims;
    ASSERT_TRUE(claims.SetJson("exp", value).has_value());
    EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kInvalidClaim));
  }
}

TEST(Validator, FractionalExpIsTruncatedTowardThePast) {
  Harness h;
  ClaimsBuilder half_past_now;
  ASSERT_TRUE(half_past_now.SetJson("exp", std::to_string(kNow) + ".5").has_value());
  EXPECT_TRUE(FailsWith(h.Check(half_past_now, ValidatorBuilder()), ErrorCode::kExpired));
  ClaimsBuilder later;
  ASSERT_TRUE(later.SetJson("exp", std::to_string(kNow + 1) + ".5").has_value());
  EXPECT_TRUE(Succeeds(h.Check(later, ValidatorBuilder())));
}

// ---------------------------------------------------------------- nbf

TEST(Validator, NbfEqualToNowIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetNotBefore(attack_test::At(kNow));
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder())));
}

TEST(Validator, NbfOneSecondAfterNowIsNotYetValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetNotBefore(attack_test::At(kNow + 1));
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kNotYetValid));
}

TEST(Validator, NbfAtExactlySkewIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetNotBefore(attack_test::At(kNow + 30));
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().ClockSkew(seconds(30)))));
}

TEST(Validator, NbfOneSecondBeyondSkewIsNotYetValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetNotBefore(attack_test::At(kNow + 31));
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().ClockSkew(seconds(30))),
                        ErrorCode::kNotYetValid));
}

TEST(Validator, NbfAsStringIsInvalidClaim) {
  Harness h;
  EXPECT_TRUE(FailsWith(h.Check(ClaimsWithJson("nbf", "\"1800000000\""), ValidatorBuilder()),
                        ErrorCode::kInvalidClaim));
  EXPECT_TRUE(FailsWith(h.Check(ClaimsWithJson("nbf", "null"), ValidatorBuilder()),
                        ErrorCode::kInvalidClaim));
}

// ---------------------------------------------------------------- iat and max age

TEST(Validator, IatEqualToNowIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow));
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder())));
}

TEST(Validator, IatOneSecondInFutureWithoutSkewIsIssuedInFuture) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow + 1));
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kIssuedInFuture));
}

TEST(Validator, IatInFutureWithinSkewIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow + 30));
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().ClockSkew(seconds(30)))));
}

TEST(Validator, IatInFutureBeyondSkewIsIssuedInFuture) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow + 31));
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().ClockSkew(seconds(30))),
                        ErrorCode::kIssuedInFuture));
}

TEST(Validator, IatAsStringIsInvalidClaim) {
  Harness h;
  EXPECT_TRUE(FailsWith(h.Check(ClaimsWithJson("iat", "\"1800000000\""), ValidatorBuilder()),
                        ErrorCode::kInvalidClaim));
}

TEST(Validator, IatExactlyMaxAgeOldIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow - 3600));
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().MaxAge(seconds(3600)))));
}

TEST(Validator, IatOneSecondOlderThanMaxAgeIsTooOld) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuedAt(attack_test::At(kNow - 3601));
  EXPECT_TRUE(
      FailsWith(h.Check(claims, ValidatorBuilder().MaxAge(seconds(3600))), ErrorCode::kTooOld));
}

TEST(Validator, MaxAgeBoundaryIncludesSkew) {
  Harness h;
  ValidatorBuilder builder;
  builder.MaxAge(seconds(3600)).ClockSkew(seconds(60));
  ClaimsBuilder at_limit = ClaimsExpiringAt(kNow + 300);
  at_limit.SetIssuedAt(attack_test::At(kNow - 3660));
  EXPECT_TRUE(Succeeds(h.Check(at_limit, builder)));
  ClaimsBuilder past_limit = ClaimsExpiringAt(kNow + 300);
  past_limit.SetIssuedAt(attack_test::At(kNow - 3661));
  EXPECT_TRUE(FailsWith(h.Check(past_limit, builder), ErrorCode::kTooOld));
}

TEST(Validator, MaxAgeWithoutIatIsMissingClaim) {
  Harness h;
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow + 300), ValidatorBuilder().MaxAge(seconds(60))),
                ErrorCode::kMissingClaim));
}

// ---------------------------------------------------------------- reuse and direct use

TEST(Validator, ValidateOnVerifiedTokenAppliesPolicyDirectly) {
  Harness h;
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300));
  // Verified while still valid, then checked again by a validator whose clock is at exp.
  VerifiedJwt verified = Unwrap(h.VerifyAt(token, ValidatorBuilder(), kNow), "Verify");
  Validator later = Unwrap(ValidatorBuilder().SetClock(ClockAt(kNow + 300)).Build(), "Build");
  Status status = later.Validate(verified);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kExpired);
  Validator earlier = Unwrap(ValidatorBuilder().SetClock(ClockAt(kNow + 299)).Build(), "Build");
  EXPECT_TRUE(earlier.Validate(verified).has_value());
}

TEST(Validator, OneValidatorJudgesManyTokens) {
  Harness h;
  Validator validator =
      Unwrap(ValidatorBuilder().ExpectIssuer("iss-a").SetClock(ClockAt(kNow)).Build(), "Build");
  ClaimsBuilder good = ClaimsExpiringAt(kNow + 300);
  good.SetIssuer("iss-a");
  ClaimsBuilder bad = ClaimsExpiringAt(kNow + 300);
  bad.SetIssuer("iss-b");
  VerifiedJwt first =
      Unwrap(h.VerifyAt(h.Sign(good), ValidatorBuilder().ExpectIssuer("iss-a"), kNow), "Verify");
  EXPECT_TRUE(validator.Validate(first).has_value());
  VerifiedJwt second = Unwrap(h.VerifyAt(h.Sign(bad), ValidatorBuilder(), kNow), "Verify");
  Status status = validator.Validate(second);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kIssuerMismatch);
  EXPECT_TRUE(validator.Validate(first).has_value());
}

}  // namespace
}  // namespace writ

namespace writ {
namespace {

TEST(ValidatorBuilder, MaxAgeOverAHundredYearsIsRefusedSoTimeArithmeticCannotOverflow) {
  EXPECT_EQ(ValidatorBuilder().MaxAge(std::chrono::seconds::max()).Build().error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ValidatorBuilder().MaxAge(std::chrono::hours(24 * 366 * 100)).Build().has_value());
}

}  // namespace
}  // namespace writ
