// Wycheproof primitive vectors run against writ's key types (tests/vectors/wycheproof/,
// see tests/vectors/README.md). Each case goes through a writ::Key built from a JWK and
// its material().Verify(msg, sig), the check the verifier makes over "header.payload":
//   ES256  ecdsa_secp256r1_sha256_p1363_test.json   (raw r||s, as JWS uses)
//   ES384  ecdsa_secp384r1_sha384_p1363_test.json
//   EdDSA  ed25519_test.json
//   RS256  rsa_signature_2048_sha256_test.json
//   PS256  rsa_pss_2048_sha256_mgf1_32_test.json     (MGF1-SHA256, salt 32 = JWS PS256)
//   HS256  hmac_sha256_test.json
// `valid` must verify, `invalid` must not, `acceptable` may go either way and how writ
// treats it is recorded (and pinned) below. Every case of every file is run; nothing is
// skipped, and the count is checked against the file's numberOfTests.
//
// Cases writ deliberately treats differently from the label:
//  - HMAC, groups with tagSize 128: truncated tags. JWS HS256 needs the full 32-byte tag
//    (RFC 7518 §3.2), so every such tag is refused, including the upstream-valid ones.
//  - HMAC, groups with keySize 128: 16-byte keys. HS256 keys shorter than the hash are
//    refused at creation with kWeakKey (RFC 7518 §3.2), so these cases never verify.
// No single case deviates: e.g. the two e = 3 RSA keys (tcId 258, 259) load and their
// valid signatures verify, and every high-S ECDSA signature Wycheproof calls valid
// verifies (JWS does not require low S).
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "core/key_material.h"
#include "vector_files.h"
#include "writ/key.h"
#include "writ/secret_bytes.h"

namespace writ {
namespace {

using vectors::AsBytes;
using vectors::HexDecode;
using vectors::JsonVectorFile;
using vectors::JwkWithAlg;
using vectors::LoadJsonVector;

constexpr std::string_view kRsaPkcs1File = "wycheproof/rsa_signature_2048_sha256_test.json";

// How writ treats each `acceptable` case (pinned so a change is noticed).
struct AcceptableCase {
  std::string_view file;
  std::int64_t tc_id;
  bool writ_verifies;
  std::string_view note;
};

constexpr AcceptableCase kAcceptableCases[] = {
    {kRsaPkcs1File, 8, false,
     "MissingNull: DigestInfo without the NULL parameters. writ's RS256 verify (OpenSSL's "
     "PKCS#1 v1.5 check) rejects it, the stricter of the two allowed outcomes."},
};

const AcceptableCase* FindAcceptable(std::string_view file, std::int64_t tc_id) {
  for (const AcceptableCase& acceptable : kAcceptableCases) {
    if (acceptable.file == file && acceptable.tc_id == tc_id) {
      return &acceptable;
    }
  }
  return nullptr;
}

struct Tally {
  std::int64_t number_of_tests = 0;
  std::int64_t run = 0;
  std::int64_t verified = 0;
  std::int64_t refused = 0;
  std::int64_t refused_by_policy = 0;  // weak keys and truncated tags (see file comment)
};

void PrintTally(std::string_view file, const Tally& tally) {
  std::cout << "[wycheproof] " << file << ": " << tally.run << " of " << tally.number_of_tests
            << " cases run, " << tally.verified << " verified, " << tally.refused
            << " refused (" << tally.refused_by_policy << " by writ policy)\n";
}

void ExpectWholeFileRun(const Tally& tally) {
  EXPECT_GT(tally.run, 0);
  EXPECT_EQ(tally.run, tally.number_of_tests);  // no case skipped
  EXPECT_GT(tally.verified, 0);
  EXPECT_GT(tally.refused, 0);
}

// Checks one signature case against its label, counting it.
void CheckCase(std::string_view file, simdjson::dom::object test, bool verifies, Tally& tally) {
  const std::int64_t tc_id = test["tcId"].get_int64();
  const std::string_view label = test["result"].get_string();
  const std::string_view comment = test["comment"].get_string();
  ++tally.run;
  ++(verifies ? tally.verified : tally.refused);
  if (label == "acceptable") {
    const AcceptableCase* acceptable = FindAcceptable(file, tc_id);
    ASSERT_NE(acceptable, nullptr) << file << " tcId " << tc_id << " is acceptable upstream: "
                                   << "record writ's treatment in kAcceptableCases";
    EXPECT_EQ(verifies, acceptable->writ_verifies) << file << " tcId " << tc_id;
    return;
  }
  const bool expected = label == "valid";
  EXPECT_EQ(verifies, expected) << file << " tcId " << tc_id << " (" << comment << ", upstream "
                                << label << ")";
}

// Runs every signature case of `file`; `make_jwk` gives the JWK of a group's key.
template <typename MakeJwk>
Tally RunSignatureFile(std::string_view file, MakeJwk make_jwk) {
  JsonVectorFile vectors = LoadJsonVector(file);
  Tally tally;
  tally.number_of_tests = vectors.root["numberOfTests"].get_int64();
  std::set<std::int64_t> seen;
  for (simdjson::dom::object group : vectors.root["testGroups"].get_array()) {
    const std::string jwk = make_jwk(group);
    auto key = Key::FromJwk(jwk);
    for (simdjson::dom::object test : group["tests"].get_array()) {
      const std::string message = HexDecode(test["msg"].get_string());
      const std::string signature = HexDecode(test["sig"].get_string());
      const std::int64_t tc_id = test["tcId"].get_int64();
      seen.insert(tc_id);
      const bool verifies = key.has_value() && key->material().Verify(message, AsBytes(signature));
      if (!key) {
        ADD_FAILURE() << file << " tcId " << tc_id << ": key refused: " << key.error().detail;
      }
      CheckCase(file, test, verifies, tally);
    }
  }
  for (const AcceptableCase& acceptable : kAcceptableCases) {
    if (acceptable.file == file) {
      EXPECT_TRUE(seen.count(acceptable.tc_id)) << "kAcceptableCases names unknown tcId "
                                                << acceptable.tc_id;
    }
  }
  PrintTally(file, tally);
  return tally;
}

// --- ECDSA (P1363 = raw r||s, the JWS encoding; RFC 7518 §3.4) --------------------------

// The group's publicKeyJwk with alg added, or, where the file gives none, a JWK built
// from the uncompressed point 04||x||y.
std::string EcJwk(simdjson::dom::object group, std::string_view crv, std::string_view alg) {
  simdjson::dom::object jwk;
  if (group["publicKeyJwk"].get(jwk) == simdjson::SUCCESS) {
    return JwkWithAlg(jwk, alg);
  }
  const std::string point = HexDecode(group["publicKey"]["uncompressed"].get_string());
  const std::size_t coordinate = (point.size() - 1) / 2;
  return "{\"kty\":\"EC\",\"crv\":\"" + std::string(crv) + "\",\"alg\":\"" + std::string(alg) +
         "\",\"x\":\"" + internal::Base64UrlEncode(point.substr(1, coordinate)) + "\",\"y\":\"" +
         internal::Base64UrlEncode(point.substr(1 + coordinate, coordinate)) + "\"}";
}

TEST(WycheproofPrimitives, EcdsaP256Sha256MatchesExpectations) {
  // Note: Wycheproof treats high-S signatures as valid for plain ECDSA; writ agrees (JWS
  // does not mandate low S), so no case deviates here.
  const Tally tally = RunSignatureFile("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
                                       [](simdjson::dom::object group) {
                                         return EcJwk(group, "P-256", "ES256");
                                       });
  ExpectWholeFileRun(tally);
}

TEST(WycheproofPrimitives, EcdsaP384Sha384MatchesExpectations) {
  const Tally tally = RunSignatureFile("wycheproof/ecdsa_secp384r1_sha384_p1363_test.json",
                                       [](simdjson::dom::object group) {
                                         return EcJwk(group, "P-384", "ES384");
                                       });
  ExpectWholeFileRun(tally);
}

// --- Ed25519 (RFC 8037) ---------------------------------------------------------------------

TEST(WycheproofPrimitives, Ed25519MatchesExpectations) {
  const Tally tally =
      RunSignatureFile("wycheproof/ed25519_test.json", [](simdjson::dom::object group) {
        return JwkWithAlg(group["publicKeyJwk"], "EdDSA");
      });
  ExpectWholeFileRun(tally);
}

// --- RSA --------------------------------------------------------------------------------------

TEST(WycheproofPrimitives, RsaPkcs1Sha256MatchesExpectations) {
  const Tally tally = RunSignatureFile(kRsaPkcs1File, [](simdjson::dom::object group) {
    return JwkWithAlg(group["keyJwk"], "RS256");
  });
  ExpectWholeFileRun(tally);
}

TEST(WycheproofPrimitives, RsaPssSha256Salt32MatchesExpectations) {
  const Tally tally = RunSignatureFile("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json",
                                       [](simdjson::dom::object group) {
                                         return JwkWithAlg(group["publicKeyJwk"], "PS256");
                                       });
  ExpectWholeFileRun(tally);
}

// --- HMAC-SHA256 ------------------------------------------------------------------------------

TEST(WycheproofPrimitives, HmacSha256MatchesExpectations) {
  constexpr std::string_view kFile = "wycheproof/hmac_sha256_test.json";
  JsonVectorFile vectors = LoadJsonVector(kFile);
  Tally tally;
  tally.number_of_tests = vectors.root["numberOfTests"].get_int64();
  std::int64_t weak_keys = 0;
  std::int64_t truncated_tags = 0;
  for (simdjson::dom::object group : vectors.root["testGroups"].get_array()) {
    const std::int64_t key_bits = group["keySize"].get_int64();
    const std::int64_t tag_bits = group["tagSize"].get_int64();
    for (simdjson::dom::object test : group["tests"].get_array()) {
      const std::int64_t tc_id = test["tcId"].get_int64();
      const std::string secret = HexDecode(test["key"].get_string());
      const std::string message = HexDecode(test["msg"].get_string());
      const std::string tag = HexDecode(test["tag"].get_string());
      auto key = Key::FromHmacSecret(Alg::kHs256, SecretBytes(AsBytes(secret)), "wycheproof");
      if (key_bits < 256) {
        // RFC 7518 §3.2: an HS256 key shorter than 32 bytes is refused at creation.
        ++tally.run;
        ++tally.refused;
        ++tally.refused_by_policy;
        ++weak_keys;
        ASSERT_FALSE(key.has_value()) << "tcId " << tc_id << ": a 16-byte HS256 key was accepted";
        EXPECT_EQ(key.error().code, ErrorCode::kWeakKey) << "tcId " << tc_id;
        continue;
      }
      ASSERT_TRUE(key.has_value()) << "tcId " << tc_id << ": " << key.error().detail;
      const bool verifies = key->material().Verify(message, AsBytes(tag));
      if (tag_bits < 256) {
        // RFC 7518 §3.2: the tag is the full HMAC output; a truncated one never verifies.
        ++tally.run;
        ++tally.refused;
        ++tally.refused_by_policy;
        ++truncated_tags;
        EXPECT_FALSE(verifies) << "tcId " << tc_id << ": a " << tag.size()
                               << "-byte truncated tag verified";
        continue;
      }
      CheckCase(kFile, test, verifies, tally);
    }
  }
  PrintTally(kFile, tally);
  std::cout << "[wycheproof] " << kFile << ": " << weak_keys << " cases with 16-byte keys refused "
            << "(kWeakKey), " << truncated_tags << " truncated-tag cases refused\n";
  ExpectWholeFileRun(tally);
  EXPECT_GT(weak_keys, 0);
  EXPECT_GT(truncated_tags, 0);
}

// The full-length tags of the 32- and 65-byte key groups do get through, and the writ
// MAC equals Wycheproof's (HMAC is deterministic): re-sign every valid full-tag case.
TEST(WycheproofPrimitives, HmacSha256ResignMatchesValidTags) {
  JsonVectorFile vectors = LoadJsonVector("wycheproof/hmac_sha256_test.json");
  std::int64_t resigned = 0;
  for (simdjson::dom::object group : vectors.root["testGroups"].get_array()) {
    if (group["keySize"].get_int64() < 256 || group["tagSize"].get_int64() != 256) {
      continue;
    }
    for (simdjson::dom::object test : group["tests"].get_array()) {
      if (std::string_view(test["result"].get_string()) != "valid") {
        continue;
      }
      const std::string secret = HexDecode(test["key"].get_string());
      auto key = Key::FromHmacSecret(Alg::kHs256, SecretBytes(AsBytes(secret)), "wycheproof");
      ASSERT_TRUE(key.has_value());
      auto tag = key->material().Sign(HexDecode(test["msg"].get_string()));
      ASSERT_TRUE(tag.has_value());
      EXPECT_EQ(*tag, HexDecode(test["tag"].get_string())) << "tcId " << test["tcId"].get_int64();
      ++resigned;
    }
  }
  EXPECT_GT(resigned, 0);
}

}  // namespace
}  // namespace writ
