// Tests of the claim policy's identity rules (RFC 7519 §4.1.1-4.1.3, RFC 7515 §4.1.9):
// audience membership, issuer and subject equality, string claim types, typ matching
// and required claims, through writ::Signer and writ::Verifier at a fixed time.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "attack_test_util.h"
#include "validator_harness.h"
#include "writ/validator.h"
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

// ---------------------------------------------------------------- aud

TEST(Validator, AudienceStringEqualToExpectedIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudience("api");
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().ExpectAudience("api"))));
}

TEST(Validator, AudienceStringDifferentIsAudienceMismatch) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudience("other");
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().ExpectAudience("api")),
                        ErrorCode::kAudienceMismatch));
  ClaimsBuilder upper = ClaimsExpiringAt(kNow + 300);
  upper.SetAudience("API");
  EXPECT_TRUE(FailsWith(h.Check(upper, ValidatorBuilder().ExpectAudience("api")),
                        ErrorCode::kAudienceMismatch));
}

TEST(Validator, AudienceArrayContainingExpectedIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudiences({"web", "api", "admin"});
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().ExpectAudience("api"))));
}

TEST(Validator, AudienceArrayWithoutExpectedIsAudienceMismatch) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudiences({"web", "admin"});
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().ExpectAudience("api")),
                        ErrorCode::kAudienceMismatch));
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsWithJson("aud", "[]"), ValidatorBuilder().ExpectAudience("api")),
                ErrorCode::kAudienceMismatch));
}

TEST(Validator, AudienceArrayWithNonStringIsInvalidClaim) {
  Harness h;
  EXPECT_TRUE(FailsWith(
      h.Check(ClaimsWithJson("aud", R"(["api",1])"), ValidatorBuilder().ExpectAudience("api")),
      ErrorCode::kInvalidClaim));
  EXPECT_TRUE(FailsWith(
      h.Check(ClaimsWithJson("aud", R"(["api",null])"), ValidatorBuilder().ExpectAudience("api")),
      ErrorCode::kInvalidClaim));
  EXPECT_TRUE(FailsWith(
      h.Check(ClaimsWithJson("aud", R"([["api"]])"), ValidatorBuilder().ExpectAudience("api")),
      ErrorCode::kInvalidClaim));
}

TEST(Validator, AudienceOfNonStringTypeIsInvalidClaim) {
  Harness h;
  for (const char* value : {"1", "true", "null", R"({"aud":"api"})"}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(
        FailsWith(h.Check(ClaimsWithJson("aud", value), ValidatorBuilder().ExpectAudience("api")),
                  ErrorCode::kInvalidClaim));
  }
}

TEST(Validator, AudiencePresentButNoneExpectedIsAudienceMismatch) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudience("api");
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder()), ErrorCode::kAudienceMismatch));
}

TEST(Validator, AudiencePresentIsAcceptedWithIgnoreAudience) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetAudiences({"api", "web"});
  EXPECT_TRUE(Succeeds(h.Check(claims, ValidatorBuilder().IgnoreAudience())));
}

TEST(Validator, AudienceExpectedButAbsentIsAudienceMismatch) {
  Harness h;
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow + 300), ValidatorBuilder().ExpectAudience("api")),
                ErrorCode::kAudienceMismatch));
}

// ---------------------------------------------------------------- iss, sub, jti

TEST(Validator, IssuerEqualToExpectedIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetIssuer("https://auth.example.com");
  EXPECT_TRUE(
      Succeeds(h.Check(claims, ValidatorBuilder().ExpectIssuer("https://auth.example.com"))));
}

TEST(Validator, IssuerDifferentIsIssuerMismatch) {
  Harness h;
  for (const char* issuer :
       {"https://evil.example.com", "https://AUTH.example.com", "https://auth.example.com/",
        "https://auth.example.com ", "https://auth.example.co"}) {
    SCOPED_TRACE(issuer);
    ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
    claims.SetIssuer(issuer);
    EXPECT_TRUE(
        FailsWith(h.Check(claims, ValidatorBuilder().ExpectIssuer("https://auth.example.com")),
                  ErrorCode::kIssuerMismatch));
  }
}

TEST(Validator, IssuerExpectedButAbsentIsIssuerMismatch) {
  Harness h;
  EXPECT_TRUE(FailsWith(h.Check(ClaimsExpiringAt(kNow + 300),
                                ValidatorBuilder().ExpectIssuer("https://auth.example.com")),
                        ErrorCode::kIssuerMismatch));
}

TEST(Validator, SubjectDifferentFromExpectedIsRejected) {
  // There is no kSubjectMismatch; the implementation reports kInvalidClaim.
  Harness h;
  EXPECT_TRUE(
      Succeeds(h.Check(ClaimsExpiringAt(kNow + 300), ValidatorBuilder().ExpectSubject("alice"))));
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow + 300), ValidatorBuilder().ExpectSubject("Alice")),
                ErrorCode::kInvalidClaim));
  ClaimsBuilder no_subject;
  no_subject.SetExpiresAt(attack_test::At(kNow + 300));
  EXPECT_TRUE(FailsWith(h.Check(no_subject, ValidatorBuilder().ExpectSubject("alice")),
                        ErrorCode::kInvalidClaim));
}

TEST(Validator, StringClaimsOfOtherTypesAreInvalidClaim) {
  Harness h;
  for (const char* name : {"iss", "sub", "jti"}) {
    for (const char* value : {"1", "true", "null", "[\"x\"]", "{}"}) {
      SCOPED_TRACE(std::string(name) + "=" + value);
      EXPECT_TRUE(FailsWith(h.Check(ClaimsWithJson(name, value), ValidatorBuilder()),
                            ErrorCode::kInvalidClaim));
    }
  }
}

TEST(Validator, IssuerOfNonStringTypeIsInvalidClaimEvenWhenExpected) {
  Harness h;
  EXPECT_TRUE(FailsWith(h.Check(ClaimsWithJson("iss", "[\"https://auth.example.com\"]"),
                                ValidatorBuilder().ExpectIssuer("https://auth.example.com")),
                        ErrorCode::kInvalidClaim));
}

// ---------------------------------------------------------------- typ

TEST(Validator, TypeEqualToExpectedIsValid) {
  Harness h;
  SignOptions options;
  options.type = "at+jwt";
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
  EXPECT_TRUE(Succeeds(h.VerifyAt(token, ValidatorBuilder().ExpectType("at+jwt"), kNow)));
}

TEST(Validator, TypeComparisonIgnoresCase) {
  Harness h;
  SignOptions options;
  options.type = "AT+JWT";
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
  EXPECT_TRUE(Succeeds(h.VerifyAt(token, ValidatorBuilder().ExpectType("at+jwt"), kNow)));
}

TEST(Validator, TypeWithApplicationPrefixIsAccepted) {
  Harness h;
  SignOptions options;
  options.type = "application/at+jwt";
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
  EXPECT_TRUE(Succeeds(h.VerifyAt(token, ValidatorBuilder().ExpectType("at+jwt"), kNow)));
}

TEST(Validator, TypeDifferentIsTypeMismatch) {
  Harness h;
  for (const char* type : {"JWT", "application/jwt", "at+jwt2", "rt+jwt", "application/"}) {
    SCOPED_TRACE(type);
    SignOptions options;
    options.type = type;
    std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
    EXPECT_TRUE(FailsWith(h.VerifyAt(token, ValidatorBuilder().ExpectType("at+jwt"), kNow),
                          ErrorCode::kTypeMismatch));
  }
}

TEST(Validator, TypeMissingWhenExpectedIsTypeMismatch) {
  Harness h;
  SignOptions options;
  options.type = "";
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
  EXPECT_TRUE(FailsWith(h.VerifyAt(token, ValidatorBuilder().ExpectType("at+jwt"), kNow),
                        ErrorCode::kTypeMismatch));
}

TEST(Validator, TypeNotCheckedWhenNotExpected) {
  Harness h;
  SignOptions options;
  options.type = "anything";
  std::string token = h.Sign(ClaimsExpiringAt(kNow + 300), options);
  EXPECT_TRUE(Succeeds(h.VerifyAt(token, ValidatorBuilder(), kNow)));
}

// ---------------------------------------------------------------- required claims

TEST(Validator, RequiredClaimAbsentIsMissingClaim) {
  Harness h;
  EXPECT_TRUE(
      FailsWith(h.Check(ClaimsExpiringAt(kNow + 300), ValidatorBuilder().RequireClaim("jti")),
                ErrorCode::kMissingClaim));
}

TEST(Validator, RequiredClaimPresentIsValid) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetJwtId("id-1").SetBool("admin", false);
  EXPECT_TRUE(
      Succeeds(h.Check(claims, ValidatorBuilder().RequireClaim("jti").RequireClaim("admin"))));
}

TEST(Validator, SecondRequiredClaimAbsentIsMissingClaim) {
  Harness h;
  ClaimsBuilder claims = ClaimsExpiringAt(kNow + 300);
  claims.SetJwtId("id-1");
  EXPECT_TRUE(FailsWith(h.Check(claims, ValidatorBuilder().RequireClaim("jti").RequireClaim("sid")),
                        ErrorCode::kMissingClaim));
}

}  // namespace
}  // namespace writ
