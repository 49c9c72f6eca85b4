#include "core/roca.h"

#include <array>
#include <cstdint>

namespace writ::internal {
namespace {

constexpr std::array<std::uint32_t, 38> kPrimes{3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41, 43,
                                                47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103,
                                                107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};

// Whether `residue` is a power of 65537 modulo `prime`.
bool InSubgroupOf65537(std::uint32_t residue, std::uint32_t prime) {
  const std::uint32_t generator = 65537 % prime;
  std::uint32_t power = 1;
  for (std::uint32_t i = 0; i < prime; ++i) {
    if (power == residue) {
      return true;
    }
    power = (power * generator) % prime;
  }
  return false;
}

}  // namespace

bool HasRocaFingerprint(const BIGNUM* modulus) {
  for (std::uint32_t prime : kPrimes) {
    const BN_ULONG residue = BN_mod_word(modulus, prime);
    if (residue == static_cast<BN_ULONG>(-1) ||
        !InSubgroupOf65537(static_cast<std::uint32_t>(residue), prime)) {
      return false;
    }
  }
  return true;
}

}  // namespace writ::internal
