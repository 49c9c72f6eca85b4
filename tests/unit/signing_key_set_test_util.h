// Shared by the SigningKeySet tests (signing_key_set_test.cc and
// signing_key_set_attack_test.cc): fixed times, run-time keys, and key set documents built
// by hand for the attacks on Parse.
#ifndef WRIT_TESTS_UNIT_SIGNING_KEY_SET_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_SIGNING_KEY_SET_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "keys/secret_source.h"
#include "keys/signing_key_set.h"
#include "writ/key_set.h"

namespace writ::keys::signing_key_set_test {

using std::chrono::seconds;

inline constexpr Seconds kT0{seconds{1'800'000'000}};  // 2027-01-15T08:00:00Z
inline constexpr seconds kHour{3600};

inline std::string Text(const SecretBytes& bytes) {
  auto span = bytes.expose_secret();
  return {reinterpret_cast<const char*>(span.data()), span.size()};
}

inline SigningKeySet MakeSet(Alg alg = Alg::kEdDsa, Seconds now = kT0) {
  auto set = SigningKeySet::Create(alg, "production", now);
  EXPECT_TRUE(set.has_value()) << set.error().detail;
  return *std::move(set);
}

inline Result<SigningKeySet> Reparse(const SigningKeySet& set) {
  auto document = set.Serialize();
  EXPECT_TRUE(document.has_value()) << document.error().detail;
  return SigningKeySet::Parse(*document);
}

// --- documents built by hand, for the attacks on Parse ---------------------------------

inline const std::string kActiveKid = "production-20270115-0000000a";
inline const std::string kNextKid = "production-20270115-0000000b";
inline const std::string kRetiredKid = "production-20270114-0000000c";

inline std::string PrivateJwk(const std::string& kid, Alg alg = Alg::kEdDsa) {
  return Text(*Key::Generate(alg, kid)->ToPrivateJwk());
}

// {"kid":KID,"state":STATE,"created":1800000000 EXTRA}
inline std::string Entry(const std::string& kid, const std::string& state, const std::string& extra = "") {
  return "{\"kid\":\"" + kid + "\",\"state\":\"" + state + "\",\"created\":1800000000" + extra + "}";
}
inline const std::string kActiveEntry = Entry(kActiveKid, "active", ",\"activated\":1800000000");
inline const std::string kNextEntry = Entry(kNextKid, "next");
inline const std::string kRetiredEntry =
    Entry(kRetiredKid, "retired", ",\"activated\":1799900000,\"retired\":1800000000");

inline std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : ",") + part;
  }
  return out;
}

inline std::string Rotation(const std::vector<std::string>& entries,
                     const std::string& head = "\"version\":1,\"prepublish\":3600") {
  return "{" + head + ",\"keys\":[" + Join(entries) + "]}";
}

inline SecretBytes Document(const std::vector<std::string>& jwks, const std::string& rotation) {
  std::string text = "{\"keys\":[" + Join(jwks) + "]";
  if (!rotation.empty()) {
    text += ",\"writ_rotation\":" + rotation;
  }
  return SecretBytes::FromString(text + "}");
}

// A well-formed document: an active, a next and a retired key. Each attack changes one thing.
inline std::vector<std::string> ThreeJwks() {
  return {PrivateJwk(kActiveKid), PrivateJwk(kNextKid), PrivateJwk(kRetiredKid)};
}
inline const std::vector<std::string> kThreeEntries = {kActiveEntry, kNextEntry, kRetiredEntry};

inline Error ParseError(const SecretBytes& document) {
  auto set = SigningKeySet::Parse(document);
  EXPECT_FALSE(set.has_value());
  return set ? Error{ErrorCode::kCrypto, "parsed"} : set.error();
}

inline bool Mentions(const Error& error, const std::string& text) {
  return error.detail.find(text) != std::string::npos;
}

}  // namespace writ::keys::signing_key_set_test

#endif  // WRIT_TESTS_UNIT_SIGNING_KEY_SET_TEST_UTIL_H_
