#include "core/roca.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>

#include "core/openssl_util.h"

namespace writ::internal {
namespace {

constexpr unsigned kPrimes[] = {3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
                                73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};

BnPtr ProductOfPrimesPlus(unsigned offset) {
  BnPtr n(BN_new());
  BN_one(n.get());
  for (unsigned prime : kPrimes) {
    BN_mul_word(n.get(), prime);
  }
  BN_add_word(n.get(), offset);
  return n;
}

TEST(Roca, NumberCongruentToOneModEveryPrimeHasTheFingerprint) {
  // 1 = 65537^0 lies in every subgroup, so M + 1 has the fingerprint.
  EXPECT_TRUE(HasRocaFingerprint(ProductOfPrimesPlus(1).get()));
}

TEST(Roca, NumberOutsideTheSubgroupModThreeHasNoFingerprint) {
  // 65537 = 2 mod 3 generates all of (Z/3Z)*, but 0 is never in it: M + 3 is 0 mod 3.
  EXPECT_FALSE(HasRocaFingerprint(ProductOfPrimesPlus(3).get()));
}

TEST(Roca, FreshOpenSslModuliHaveNoFingerprint) {
  for (int i = 0; i < 3; ++i) {
    EvpPkeyPtr key(EVP_RSA_gen(2048));
    ASSERT_TRUE(key);
    BnPtr n = GetBnParam(key.get(), "n");
    EXPECT_FALSE(HasRocaFingerprint(n.get()));
  }
}

}  // namespace
}  // namespace writ::internal
