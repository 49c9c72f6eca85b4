// Attacks through registered claims of the wrong JSON type or range, in correctly signed
// tokens checked by the full Verifier: every registered claim, every wrong type. A lax
// reader would treat "exp":"9999999999" or "exp":null as absent or as a far future.
// RFC 7519 §2 (NumericDate), §4.1; RFC 8725 §3.10.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::ClockAt;
using attack_test::FailsWith;
using attack_test::GenerateKey;
using attack_test::kNowSeconds;
using attack_test::SignJson;
using attack_test::Succeeds;
using attack_test::Unwrap;
using attack_test::VerifierFor;

const std::string kExp = std::to_string(kNowSeconds + 300);

// Verifies claims JSON with a validator that expects nothing special, so only the type
// rules can refuse it.
Result<VerifiedJwt> VerifyClaims(std::string_view claims, ValidatorBuilder builder = {}) {
  static const Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  Validator validator = Unwrap(builder.SetClock(ClockAt(kNowSeconds)).Build(), "Build");
  return verifier.Verify(SignJson(key, R"({"alg":"HS256","kid":"k1"})", claims), validator);
}

TEST(AttackClaims, WellTypedClaimsVerify) {
  EXPECT_TRUE(Succeeds(VerifyClaims(
      "{\"iss\":\"i\",\"sub\":\"s\",\"jti\":\"j\",\"aud\":[\"a\"],\"exp\":" + kExp + ",\"nbf\":" +
          std::to_string(kNowSeconds) + ",\"iat\":" + std::to_string(kNowSeconds) + "}",
      ValidatorBuilder().ExpectAudience("a"))));
}

TEST(AttackClaims, NumericDatesOfWrongTypeAreInvalidClaim) {
  const std::vector<std::string> wrong_values = {
      "\"" + kExp + "\"",        "\"\"", "true", "false", "null", "[" + kExp + "]",
      "{\"$date\":" + kExp + "}"};
  for (const char* name : {"exp", "nbf", "iat"}) {
    for (const std::string& value : wrong_values) {
      SCOPED_TRACE(std::string(name) + "=" + value);
      std::string claims = std::string(name) == "exp"
                               ? "{\"exp\":" + value + "}"
                               : "{\"exp\":" + kExp + ",\"" + name + "\":" + value + "}";
      EXPECT_TRUE(FailsWith(VerifyClaims(claims), ErrorCode::kInvalidClaim));
    }
  }
}

TEST(AttackClaims, NumericDatesOutOfRangeAreInvalidClaim) {
  for (const char* value : {"1e300", "-1", "-1e300", "9223372036854775807", "18446744073709551615",
                            "253402300800", "-0.5"}) {
    for (const char* name : {"exp", "nbf", "iat"}) {
      SCOPED_TRACE(std::string(name) + "=" + value);
      std::string claims = std::string(name) == "exp"
                               ? "{\"exp\":" + std::string(value) + "}"
                               : "{\"exp\":" + kExp + ",\"" + name + "\":" + value + "}";
      EXPECT_TRUE(FailsWith(VerifyClaims(claims), ErrorCode::kInvalidClaim));
    }
  }
}

TEST(AttackClaims, LatestAcceptedNumericDateIsYear9999) {
  EXPECT_TRUE(Succeeds(VerifyClaims("{\"exp\":253402300799}")));
}

TEST(AttackClaims, FractionalExpIsTruncatedTowardThePast) {
  // exp = now + 0.5 counts as exp = now: expired. exp = now + 1.5 counts as now + 1.
  EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds) + ".5}"),
                        ErrorCode::kExpired));
  EXPECT_TRUE(Succeeds(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds + 1) + ".5}")));
  EXPECT_TRUE(Succeeds(VerifyClaims("{\"exp\":1.8000003e9}")));
}

TEST(AttackClaims, StringClaimsOfWrongTypeAreInvalidClaim) {
  for (const char* name : {"iss", "sub", "jti"}) {
    for (const char* value : {"1", "0", "true", "null", "[\"x\"]", "{\"x\":1}"}) {
      SCOPED_TRACE(std::string(name) + "=" + value);
      EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + kExp + ",\"" + name + "\":" + value + "}"),
                            ErrorCode::kInvalidClaim));
    }
  }
}

TEST(AttackClaims, AudienceOfWrongTypeIsInvalidClaim) {
  for (const char* value : {"1", "true", "null", "{\"a\":\"api\"}", "[\"api\",1]", "[null]",
                            "[[\"api\"]]", "[\"api\",{}]"}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + kExp + ",\"aud\":" + value + "}",
                                       ValidatorBuilder().ExpectAudience("api")),
                          ErrorCode::kInvalidClaim));
    EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + kExp + ",\"aud\":" + value + "}",
                                       ValidatorBuilder().IgnoreAudience()),
                          ErrorCode::kInvalidClaim));
  }
}

TEST(AttackClaims, ExpiredAtNowAndValidOneSecondLater) {
  EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds) + "}"),
                        ErrorCode::kExpired));
  EXPECT_TRUE(Succeeds(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds + 1) + "}")));
}

TEST(AttackClaims, LeewayBoundariesOnExpAndNbf) {
  ValidatorBuilder leeway;
  leeway.ClockSkew(std::chrono::seconds(60));
  EXPECT_TRUE(Succeeds(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds - 59) + "}", leeway)));
  EXPECT_TRUE(FailsWith(VerifyClaims("{\"exp\":" + std::to_string(kNowSeconds - 60) + "}", leeway),
                        ErrorCode::kExpired));
  EXPECT_TRUE(Succeeds(VerifyClaims(
      "{\"exp\":" + kExp + ",\"nbf\":" + std::to_string(kNowSeconds + 60) + "}", leeway)));
  EXPECT_TRUE(FailsWith(
      VerifyClaims("{\"exp\":" + kExp + ",\"nbf\":" + std::to_string(kNowSeconds + 61) + "}",
                   leeway),
      ErrorCode::kNotYetValid));
}

TEST(AttackClaims, MissingExpIsMissingClaim) {
  EXPECT_TRUE(FailsWith(VerifyClaims("{\"sub\":\"alice\"}"), ErrorCode::kMissingClaim));
  EXPECT_TRUE(FailsWith(VerifyClaims("{}"), ErrorCode::kMissingClaim));
}

TEST(AttackClaims, ClaimNamesAreCaseSensitive) {
  // "EXP" is not "exp": the token still lacks an expiry.
  EXPECT_TRUE(FailsWith(VerifyClaims("{\"EXP\":" + kExp + "}"), ErrorCode::kMissingClaim));
}

}  // namespace
}  // namespace writ
