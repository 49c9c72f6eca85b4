// Attacks on the signature bytes: stripped, empty, truncated, extended, bit-flipped and
// transplanted signatures for every key family; psychic ECDSA (r = s = 0, r = s = n);
// DER instead of raw r||s; wrong lengths; an RSA signature with a leading zero byte;
// Ed25519 with S + L. RFC 7518 §3.4, RFC 8037 §3.1, RFC 8032 §5.1.7.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::B64;
using attack_test::B64Decode;
using attack_test::DefaultValidator;
using attack_test::FailsWith;
using attack_test::GenerateKey;
using attack_test::SignJson;
using attack_test::Split;
using attack_test::Succeeds;
using attack_test::Unwrap;
using attack_test::ValidClaimsJson;
using attack_test::VerifierFor;
using attack_test::WithSignature;

// A key, a valid token it signed, and a verifier holding only its public half.
struct Signed {
  Key key;
  std::string token;
  std::string signature;  // raw bytes
  Verifier verifier;

  Result<VerifiedJwt> VerifyWithSignature(std::string_view raw) const {
    return verifier.Verify(WithSignature(token, raw), DefaultValidator());
  }
};

Signed MakeSigned(Alg alg) {
  Key key = GenerateKey(alg, "sig-key");
  std::string token = SignJson(key, attack_test::HeaderFor(key), ValidClaimsJson());
  Key verifying = IsSymmetric(alg) ? key : Unwrap(key.PublicKey(), "PublicKey");
  return Signed{key, token, B64Decode(Split(token).signature), VerifierFor({verifying})};
}

const std::array<Alg, 4> kFamilies{Alg::kHs256, Alg::kRs256, Alg::kEs256, Alg::kEdDsa};

TEST(AttackSignature, GenuineTokensVerifyForEveryFamily) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    EXPECT_TRUE(Succeeds(s.verifier.Verify(s.token, DefaultValidator())));
  }
}

TEST(AttackSignature, StrippedSignatureIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    attack_test::TokenParts parts = Split(s.token);
    std::string stripped = parts.header + "." + parts.payload + ".";
    EXPECT_TRUE(
        FailsWith(s.verifier.Verify(stripped, DefaultValidator()), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, TruncatedByOneByteIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature.substr(0, s.signature.size() - 1)),
                          ErrorCode::kBadSignature));
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature.substr(1)), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, ExtendedByOneByteIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature + '\0'), ErrorCode::kBadSignature));
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature + 'x'), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, EveryBitFlipIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    // First and last byte, every bit; a sample of bits in between.
    for (std::size_t byte : {std::size_t{0}, s.signature.size() / 2, s.signature.size() - 1}) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string flipped = s.signature;
        flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
        EXPECT_TRUE(FailsWith(s.VerifyWithSignature(flipped), ErrorCode::kBadSignature))
            << "byte " << byte << " bit " << bit;
      }
    }
  }
}

TEST(AttackSignature, HmacTagPrefixIsBadSignature) {
  // A verifier comparing only min(len) bytes would accept a short prefix of the tag.
  Signed s = MakeSigned(Alg::kHs256);
  for (std::size_t size : {std::size_t{1}, std::size_t{16}, std::size_t{31}}) {
    SCOPED_TRACE(size);
    EXPECT_TRUE(
        FailsWith(s.VerifyWithSignature(s.signature.substr(0, size)), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, SignatureOfOtherTokenIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    // The same header with an escalated payload, carrying the genuine signature.
    std::string escalated =
        Split(s.token).header + "." +
        B64("{\"sub\":\"admin\",\"exp\":" + std::to_string(attack_test::kNowSeconds + 300) + "}") +
        "." + Split(s.token).signature;
    EXPECT_TRUE(
        FailsWith(s.verifier.Verify(escalated, DefaultValidator()), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, AllZeroSignatureIsBadSignature) {
  for (Alg alg : kFamilies) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(s.signature.size(), '\0')),
                          ErrorCode::kBadSignature));
  }
}

// ---------------------------------------------------------------- ECDSA

// The order n of P-256 (SEC 2 §2.4.2), big-endian.
std::string P256Order() {
  return std::string(
      "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51",
      32);
}

TEST(AttackSignature, PsychicEcdsaZeroSignatureIsBadSignature) {
  // CVE-2022-21449: r = s = 0 verified for anything in Java 15-18.
  Signed s = MakeSigned(Alg::kEs256);
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(64, '\0')), ErrorCode::kBadSignature));
}

TEST(AttackSignature, PsychicEcdsaOrderSignatureIsBadSignature) {
  // r = s = n is r = s = 0 mod n.
  Signed s = MakeSigned(Alg::kEs256);
  EXPECT_TRUE(
      FailsWith(s.VerifyWithSignature(P256Order() + P256Order()), ErrorCode::kBadSignature));
}

TEST(AttackSignature, EcdsaWithOneHalfZeroOrOrderIsBadSignature) {
  Signed s = MakeSigned(Alg::kEs256);
  std::string r = s.signature.substr(0, 32);
  std::string sv = s.signature.substr(32);
  const std::string zero(32, '\0');
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(r + zero), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(zero + sv), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(r + P256Order()), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(P256Order() + sv), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(64, '\xff')), ErrorCode::kBadSignature));
}

// The genuine raw r||s signature re-encoded as an ASN.1 DER ECDSA-Sig-Value.
std::string ToDer(std::string_view raw) {
  const std::size_t half = raw.size() / 2;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(half),
                        nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + half),
                        static_cast<int>(half), nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (size <= 0) {
    throw std::runtime_error("i2d_ECDSA_SIG failed");
  }
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return bytes;
}

TEST(AttackSignature, DerEncodedEcdsaSignatureIsBadSignature) {
  for (Alg alg : {Alg::kEs256, Alg::kEs384}) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    std::string der = ToDer(s.signature);
    ASSERT_EQ(static_cast<unsigned char>(der[0]), 0x30);  // SEQUENCE
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(der), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, Es256SignatureOfWrongLengthIsBadSignature) {
  Signed s = MakeSigned(Alg::kEs256);
  ASSERT_EQ(s.signature.size(), 64u);
  std::string r = s.signature.substr(0, 32);
  std::string sv = s.signature.substr(32);
  // 63 bytes: one half shortened; 65 bytes: one half with a leading zero (same integers).
  EXPECT_TRUE(
      FailsWith(s.VerifyWithSignature(s.signature.substr(0, 63)), ErrorCode::kBadSignature));
  EXPECT_TRUE(
      FailsWith(s.VerifyWithSignature(std::string(1, '\0') + r + sv), ErrorCode::kBadSignature));
  EXPECT_TRUE(
      FailsWith(s.VerifyWithSignature(r + std::string(1, '\0') + sv), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(1, '\0') + r + std::string(1, '\0') + sv),
                        ErrorCode::kBadSignature));
}

// ---------------------------------------------------------------- RSA

TEST(AttackSignature, RsaSignatureWithLeadingZeroByteIsBadSignature) {
  // The same integer, one byte longer than the modulus (RFC 7518 §3.3 via RFC 8017 §8.2.2).
  for (Alg alg : {Alg::kRs256, Alg::kPs256}) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    ASSERT_EQ(s.signature.size(), 256u);
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(1, '\0') + s.signature),
                          ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, RsaSignatureOneByteShortIsBadSignature) {
  for (Alg alg : {Alg::kRs256, Alg::kPs256}) {
    SCOPED_TRACE(AlgName(alg));
    Signed s = MakeSigned(alg);
    EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature.substr(1)), ErrorCode::kBadSignature));
    EXPECT_TRUE(
        FailsWith(s.VerifyWithSignature(s.signature.substr(0, 255)), ErrorCode::kBadSignature));
  }
}

TEST(AttackSignature, RsaSignatureEqualToModulusIsBadSignature) {
  Signed s = MakeSigned(Alg::kRs256);
  std::string jwk = Unwrap(s.key.ToPublicJwk(), "ToPublicJwk");
  std::string modulus = B64Decode(attack_test::JsonStringMember(jwk, "n"));
  ASSERT_EQ(modulus.size(), 256u);
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(modulus), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(std::string(256, '\xff')), ErrorCode::kBadSignature));
  std::string one(256, '\0');
  one.back() = '\x01';  // s = 1 verifies only a message whose encoding is 1
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(one), ErrorCode::kBadSignature));
}

// ---------------------------------------------------------------- Ed25519

// S + L, little-endian (RFC 8032 §5.1.7 requires S < L).
std::string AddGroupOrder(std::string_view s_bytes) {
  static const std::array<std::uint8_t, 32> kOrder = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
      0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  std::string sum(32, '\0');
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned total = static_cast<unsigned char>(s_bytes[i]) + kOrder[i] + carry;
    sum[i] = static_cast<char>(total & 0xffu);
    carry = total >> 8;
  }
  return sum;
}

TEST(AttackSignature, Ed25519NonCanonicalSIsBadSignature) {
  Signed s = MakeSigned(Alg::kEdDsa);
  ASSERT_EQ(s.signature.size(), 64u);
  std::string malleated = s.signature.substr(0, 32) + AddGroupOrder(s.signature.substr(32));
  ASSERT_NE(malleated, s.signature);
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(malleated), ErrorCode::kBadSignature));
}

TEST(AttackSignature, Ed25519SignatureOfWrongLengthIsBadSignature) {
  Signed s = MakeSigned(Alg::kEdDsa);
  EXPECT_TRUE(
      FailsWith(s.VerifyWithSignature(s.signature.substr(0, 63)), ErrorCode::kBadSignature));
  EXPECT_TRUE(FailsWith(s.VerifyWithSignature(s.signature + '\0'), ErrorCode::kBadSignature));
}

// ---------------------------------------------------------------- order of checks

TEST(AttackSignature, SignatureIsCheckedBeforeClaims) {
  // An expired token with a bad signature reports the signature, not the expiry: claims
  // of an unauthenticated token are never looked at.
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string expired = SignJson(key, attack_test::HeaderFor(key),
                                 "{\"exp\":" + std::to_string(attack_test::kNowSeconds) + "}");
  ASSERT_TRUE(FailsWith(verifier.Verify(expired, DefaultValidator()), ErrorCode::kExpired));
  std::string sig = B64Decode(Split(expired).signature);
  sig[0] = static_cast<char>(sig[0] ^ 1);
  EXPECT_TRUE(FailsWith(verifier.Verify(WithSignature(expired, sig), DefaultValidator()),
                        ErrorCode::kBadSignature));
}

TEST(AttackSignature, SignatureIsCheckedBeforePayloadIsParsed) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string header = attack_test::B64(attack_test::HeaderFor(key));
  for (const char* payload : {"not json", "[]", "{\"a\":1,\"a\":2}", "{\"a\":\"\xff\"}"}) {
    SCOPED_TRACE(payload);
    std::string token = header + "." + B64(payload) + "." + B64(std::string(32, 'x'));
    EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kBadSignature));
  }
}

}  // namespace
}  // namespace writ
