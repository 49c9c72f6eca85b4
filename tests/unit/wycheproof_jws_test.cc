// Wycheproof JOSE vectors: json_web_signature_test.json and json_web_key_test.json
// (tests/vectors/wycheproof/, see tests/vectors/README.md). Every case is run: each
// `valid` case must be accepted and each `invalid` case rejected, except the cases in
// kDeviations below, which writ treats differently on purpose.
//
// What "accepted" means here. Wycheproof signs payloads such as "foo" or "123400",
// which are not JWT claims objects, so writ::Verifier (a JWT verifier) ends every valid
// case with kMalformed at its last step, the claims parse (RFC 7519 §7.2 step 10). Each
// case is therefore run twice:
//  1. VerifyJws(): the JWS part of Verifier::Verify, built from the same library calls
//     (strict DecodeUnverified, ParseJoseHeader's header rules, KeySet::Select, the
//     key's signature check). Accepting means this succeeds.
//  2. Verifier::Verify itself: for an accepted case it must succeed or stop at the
//     claims (kMalformed); for a rejected case it must fail too, so the real verifier
//     is never weaker than (1).
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/jose_header.h"
#include "core/key_material.h"
#include "vector_files.h"
#include "writ/key.h"
#include "writ/key_set.h"
#include "writ/unverified.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ {
namespace {

using vectors::AsBytes;
using vectors::JsonVectorFile;
using vectors::LoadJsonVector;

enum class Outcome { kAccept, kReject };

// A case whose upstream label writ deliberately does not follow.
struct Deviation {
  std::string_view file;
  std::int64_t tc_id;
  Outcome writ_outcome;
  std::string_view reason;
};

constexpr std::string_view kJwsFile = "wycheproof/json_web_signature_test.json";
constexpr std::string_view kJwkFile = "wycheproof/json_web_key_test.json";

constexpr Deviation kDeviations[] = {
    // json_web_signature_test.json
    {kJwsFile, 346, Outcome::kReject,
     "RFC 7520 Figure 20 is a PS384 token but the group's key is declared \"alg\":\"PS256\"; "
     "a key is bound to one algorithm (RFC 8725 §3.1), so alg_mismatch. Wycheproof's own "
     "WrongPrimitive cases 331-340 require this rejection."},
    {kJwsFile, 350, Outcome::kReject, "as 346 (same token and key, with key_ops)."},
    {kJwsFile, 347, Outcome::kReject,
     "the key is declared \"alg\":\"ES521\", which is not a registered JWS algorithm (RFC 7518 "
     "§3.1 names P-521 ECDSA ES512); writ refuses a JWK with an unknown alg."},
    {kJwsFile, 351, Outcome::kReject, "as 347 (same key, with key_ops)."},
    {kJwsFile, 372, Outcome::kReject,
     "labelled valid upstream, but the header part contains '?', which is not base64url, and "
     "the MAC over the received bytes does not verify (see tests/vectors/README.md)."},
    {kJwsFile, 373, Outcome::kReject, "as 372, with the '?' in the payload part."},
    {kJwsFile, 367, Outcome::kAccept,
     "labelled invalidBase64Padding, but the stored token is byte-for-byte the valid case 357 "
     "(no padding is left in it; see TokensOf367And370EqualValid357 below)."},
    {kJwsFile, 370, Outcome::kAccept, "as 367 (invalidBase64PaddingInPayload)."},
    // Empty payload part (RS256/384/512, PS256/384/512 emptyPayload cases). writ's compact
    // splitter refuses an empty payload before any key is touched: a JWT payload is a
    // claims object (RFC 7519 §7.2 step 10), and an empty payload part is also the shape of
    // detached content (RFC 7515 Appendix F), which writ does not support.
    {kJwsFile, 259, Outcome::kReject, "empty payload part (see above)."},
    {kJwsFile, 264, Outcome::kReject, "empty payload part (see above)."},
    {kJwsFile, 268, Outcome::kReject, "empty payload part (see above)."},
    {kJwsFile, 272, Outcome::kReject, "empty payload part (see above)."},
    {kJwsFile, 320, Outcome::kReject, "empty payload part (see above)."},
    {kJwsFile, 325, Outcome::kReject, "empty payload part (see above)."},
    // json_web_key_test.json
    {kJwkFile, 1, Outcome::kAccept,
     "the set mixes an HS256 secret with an ES256 public key. Wycheproof flags mixed sets "
     "(MixedKeySet, Ambiguous: not defined by the RFCs). In writ every key is bound to its "
     "own alg and selected by kid, so the mix cannot cause key confusion; private "
     "verification sets legitimately hold both (ToPublicJwks() leaves the secret out)."},
};

void PrintTo(Outcome outcome, std::ostream* os) {
  *os << (outcome == Outcome::kAccept ? "accept" : "reject");
}

const Deviation* FindDeviation(std::string_view file, std::int64_t tc_id) {
  for (const Deviation& deviation : kDeviations) {
    if (deviation.file == file && deviation.tc_id == tc_id) {
      return &deviation;
    }
  }
  return nullptr;
}

// The verification keys a group gives: "public" when present, else "private" (HMAC).
// Either one JWK or a JWK Set.
Result<KeySet> GroupKeys(simdjson::dom::object group) {
  simdjson::dom::object key_json;
  if (group["public"].get(key_json) != simdjson::SUCCESS) {
    key_json = group["private"];
  }
  const std::string text = simdjson::minify(key_json);
  simdjson::dom::element member;
  if (key_json["keys"].get(member) == simdjson::SUCCESS) {
    return KeySet::FromJwks(text);
  }
  auto key = Key::FromJwk(text);
  if (!key) {
    return tl::unexpected(key.error());
  }
  return KeySet::Create({*key});
}

// The JWS part of Verifier::Verify (see the file comment).
Status VerifyJws(const KeySet& keys, std::string_view token) {
  auto decoded = DecodeUnverified(token);
  if (!decoded) {
    return tl::unexpected(decoded.error());
  }
  // Points into a per-thread cache, valid until the next ParseJoseHeader call here.
  auto parsed = internal::ParseJoseHeader(token.substr(0, token.find('.')));
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  const internal::JoseHeader& header = **parsed;
  std::optional<std::string_view> kid;
  if (header.kid) {
    kid = *header.kid;
  }
  auto key = keys.Select(kid, header.alg);
  if (!key) {
    return tl::unexpected(key.error());
  }
  if (!(*key)->material().Verify(decoded->signing_input, AsBytes(decoded->signature))) {
    return Fail(ErrorCode::kBadSignature, "signature does not verify");
  }
  return {};
}

Validator ClaimsOffValidator() {
  auto validator = ValidatorBuilder().AllowMissingExpiration().IgnoreAudience().Build();
  EXPECT_TRUE(validator.has_value());
  return *validator;
}

struct Tally {
  std::int64_t number_of_tests = 0;
  std::int64_t run = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t deviations = 0;
  std::map<std::string, std::int64_t> rejection_codes;
};

// writ's outcome for one token: the reason code of the refusal, or nullopt if accepted.
std::optional<ErrorCode> WritOutcome(const Result<KeySet>& keys, std::string_view token,
                                     const Validator& validator, std::int64_t tc_id) {
  if (!keys) {
    return keys.error().code;
  }
  const Status jws = VerifyJws(*keys, token);
  auto verifier = Verifier::Create(*keys);
  EXPECT_TRUE(verifier.has_value());
  auto full = verifier->Verify(token, validator);
  if (!jws) {
    EXPECT_FALSE(full.has_value()) << "tcId " << tc_id << ": Verifier accepted a token the JWS "
                                   << "checks refuse (" << jws.error().detail << ")";
    return jws.error().code;
  }
  if (!full && full.error().code != ErrorCode::kMalformed) {
    ADD_FAILURE() << "tcId " << tc_id << ": JWS checks pass but Verifier says "
                  << ErrorCodeName(full.error().code) << ": " << full.error().detail;
    return full.error().code;
  }
  return std::nullopt;
}

Tally RunFile(std::string_view file) {
  JsonVectorFile vectors = LoadJsonVector(file);
  const Validator validator = ClaimsOffValidator();
  Tally tally;
  tally.number_of_tests = vectors.root["numberOfTests"].get_int64();
  std::set<std::int64_t> seen;
  for (simdjson::dom::object group : vectors.root["testGroups"].get_array()) {
    const Result<KeySet> keys = GroupKeys(group);
    for (simdjson::dom::object test : group["tests"].get_array()) {
      const std::int64_t tc_id = test["tcId"].get_int64();
      const std::string_view label = test["result"].get_string();
      const std::string_view comment = test["comment"].get_string();
      const std::string_view token = test["jws"].get_string();
      seen.insert(tc_id);
      ++tally.run;
      const std::optional<ErrorCode> refusal = WritOutcome(keys, token, validator, tc_id);
      const Outcome actual = refusal ? Outcome::kReject : Outcome::kAccept;
      if (refusal) {
        ++tally.rejected;
        ++tally.rejection_codes[std::string(ErrorCodeName(*refusal))];
      } else {
        ++tally.accepted;
      }
      if (label == "acceptable") {
        continue;  // either outcome is allowed (none in these two files)
      }
      const Outcome upstream = label == "valid" ? Outcome::kAccept : Outcome::kReject;
      const Deviation* deviation = FindDeviation(file, tc_id);
      Outcome expected = upstream;
      if (deviation != nullptr) {
        EXPECT_NE(deviation->writ_outcome, upstream)
            << "tcId " << tc_id << " is listed as a deviation but agrees with upstream";
        expected = deviation->writ_outcome;
        ++tally.deviations;
      }
      EXPECT_EQ(actual, expected)
          << file << " tcId " << tc_id << " (" << comment << ", upstream " << label << "): writ "
          << (refusal ? "refused it: " + std::string(ErrorCodeName(*refusal)) : "accepted it");
    }
  }
  for (const Deviation& deviation : kDeviations) {
    if (deviation.file == file) {
      EXPECT_TRUE(seen.count(deviation.tc_id)) << "deviation for unknown tcId " << deviation.tc_id;
    }
  }
  std::cout << "[wycheproof] " << file << ": " << tally.run << " of " << tally.number_of_tests
            << " cases run, " << tally.accepted << " accepted, " << tally.rejected
            << " rejected, " << tally.deviations << " deliberate deviations; rejections:";
  for (const auto& [code, count] : tally.rejection_codes) {
    std::cout << " " << code << "=" << count;
  }
  std::cout << "\n";
  return tally;
}

TEST(WycheproofJws, JsonWebSignatureCasesMatchExpectations) {
  const Tally tally = RunFile(kJwsFile);
  // No case is skipped: the run must cover the whole file (JSON serialisations are run
  // and must be refused, as upstream expects).
  EXPECT_GT(tally.run, 0);
  EXPECT_EQ(tally.run, tally.number_of_tests);
  EXPECT_GT(tally.accepted, 0);
  EXPECT_GT(tally.rejected, 0);
}

// The evidence for the 367/370 deviation: the tokens are the valid case's.
TEST(WycheproofJws, TokensOf367And370EqualValid357) {
  JsonVectorFile vectors = LoadJsonVector(kJwsFile);
  std::map<std::int64_t, std::string> tokens;
  for (simdjson::dom::object group : vectors.root["testGroups"].get_array()) {
    for (simdjson::dom::object test : group["tests"].get_array()) {
      const std::int64_t tc_id = test["tcId"].get_int64();
      if (tc_id == 357 || tc_id == 367 || tc_id == 370) {
        tokens[tc_id] = std::string(std::string_view(test["jws"].get_string()));
      }
    }
  }
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[367], tokens[357]);
  EXPECT_EQ(tokens[370], tokens[357]);
}

TEST(WycheproofJws, JsonWebKeyCasesMatchExpectations) {
  const Tally tally = RunFile(kJwkFile);
  EXPECT_GT(tally.run, 0);
  EXPECT_EQ(tally.run, tally.number_of_tests);
  EXPECT_GT(tally.accepted, 0);
  EXPECT_GT(tally.rejected, 0);
}

}  // namespace
}  // namespace writ
