#include "writ/alg.h"
#include "writ/result.h"

#include <gtest/gtest.h>

namespace writ {
namespace {

TEST(Alg, EveryNameRoundTrips) {
  for (Alg alg : {Alg::kHs256, Alg::kHs384, Alg::kHs512, Alg::kRs256, Alg::kRs384, Alg::kRs512,
                  Alg::kPs256, Alg::kPs384, Alg::kPs512, Alg::kEs256, Alg::kEs384, Alg::kEs512,
                  Alg::kEdDsa}) {
    EXPECT_EQ(AlgFromName(AlgName(alg)), alg) << AlgName(alg);
  }
}

TEST(Alg, NoneInEveryCasingIsUnknown) {
  for (const char* name : {"none", "None", "NONE", "nOnE", ""}) {
    EXPECT_FALSE(AlgFromName(name).has_value()) << name;
  }
}

TEST(Alg, NamesAreCaseSensitive) {
  EXPECT_FALSE(AlgFromName("hs256").has_value());
  EXPECT_FALSE(AlgFromName("EDDSA").has_value());
  EXPECT_FALSE(AlgFromName("HS256 ").has_value());
  EXPECT_FALSE(AlgFromName("Ed25519").has_value());
}

TEST(Alg, OnlyHmacIsSymmetric) {
  EXPECT_TRUE(IsSymmetric(Alg::kHs256));
  EXPECT_TRUE(IsSymmetric(Alg::kHs512));
  EXPECT_FALSE(IsSymmetric(Alg::kRs256));
  EXPECT_FALSE(IsSymmetric(Alg::kEdDsa));
}

TEST(ErrorCodeName, NamesAreStableSnakeCase) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kMalformed), "malformed");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kAlgMismatch), "alg_mismatch");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kBadSignature), "bad_signature");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kExpired), "expired");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnknownKid), "unknown_kid");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTooLarge), "too_large");
}

}  // namespace
}  // namespace writ
