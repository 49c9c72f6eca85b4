// libFuzzer target for the verify path: Verifier::Verify and DecodeUnverified must never
// crash, leak or hit undefined behaviour, whatever the input.
//
// Two kinds of input:
//  - a compact token, verified as is against a key set of every algorithm family. A
//    fuzzer cannot forge signatures, so this reaches header parsing, key selection and
//    the signature checks, but not the claims.
//  - "HEADER_JSON\0PAYLOAD_JSON": the target base64url-encodes both and signs them with
//    the set's HS256 key, so the fuzzer also drives what runs only after a good
//    signature: the strict claims parser, the validator and the claim accessors.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "writ/writ.h"

namespace {

// Fixed "now" (2025-11-24T16:00:00Z), so that runs are reproducible.
constexpr std::int64_t kNow = 1764000000;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "verify_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

template <typename T>
T Must(writ::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "verify_fuzzer setup: %s: %s\n", what, result.error().detail.c_str());
    std::abort();
  }
  return std::move(*result);
}

std::string Base64Url(std::string_view bytes) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : bytes) {
    acc = (acc << 8) | static_cast<std::uint8_t>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) {
    out += kAlphabet[(acc << (6 - bits)) & 63];
  }
  return out;
}

writ::Key PublicHalf(writ::Alg alg, std::string kid) {
  return Must(Must(writ::Key::Generate(alg, std::move(kid)), "generate").PublicKey(), "public");
}

struct Fixture {
  writ::SecretBytes hmac_secret;
  writ::Verifier verifier;
  writ::Validator strict;  // iss, aud, exp required
  writ::Validator lax;     // no exp required, aud ignored, maximum skew
};

// Keys are generated once per process; no key material is stored anywhere.
const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    writ::SecretBytes secret = writ::SecretBytes::Random(32);
    std::vector<writ::Key> keys;
    keys.push_back(Must(writ::Key::FromHmacSecret(writ::Alg::kHs256, secret, "hs"), "hs"));
    keys.push_back(Must(writ::Key::Generate(writ::Alg::kHs512, "hs512"), "hs512"));
    keys.push_back(PublicHalf(writ::Alg::kRs256, "rs"));
    keys.push_back(PublicHalf(writ::Alg::kPs256, "ps"));
    keys.push_back(PublicHalf(writ::Alg::kEs256, "es"));
    keys.push_back(PublicHalf(writ::Alg::kEs512, "es512"));
    keys.push_back(PublicHalf(writ::Alg::kEdDsa, "ed"));
    auto clock = std::make_shared<writ::FixedClock>(writ::Seconds(std::chrono::seconds(kNow)));
    return new Fixture{
        secret,
        Must(writ::Verifier::Create(Must(writ::KeySet::Create(std::move(keys)), "key set")),
             "verifier"),
        Must(writ::ValidatorBuilder()
                 .ExpectIssuer("https://auth.example.com")
                 .ExpectAudience("api.example.com")
                 .SetClock(clock)
                 .Build(),
             "strict validator"),
        Must(writ::ValidatorBuilder()
                 .AllowMissingExpiration()
                 .IgnoreAudience()
                 .ClockSkew(writ::ValidatorBuilder::kMaxClockSkew)
                 .SetClock(clock)
                 .Build(),
             "lax validator"),
    };
  }();
  return *fixture;
}

std::size_t Count(bool present) { return present ? 1 : 0; }

// Reads every accessor of an accepted token, so that they run under the sanitizers too.
void Inspect(const writ::VerifiedJwt& jwt) {
  std::size_t sink = jwt.kid().size() + jwt.payload_json().size() + jwt.audiences().size();
  sink += jwt.issuer().value_or("").size() + jwt.subject().value_or("").size();
  sink += jwt.jwt_id().value_or("").size() + Count(jwt.type().has_value());
  sink += Count(jwt.expires_at().has_value()) + Count(jwt.not_before().has_value()) +
          Count(jwt.issued_at().has_value());
  for (const char* name : {"iss", "aud", "roles", "scope", "exp", "nested"}) {
    sink += Count(jwt.HasClaim(name)) + Count(jwt.StringClaim(name).has_value()) +
            Count(jwt.IntegerClaim(name).has_value()) + Count(jwt.NumberClaim(name).has_value()) +
            Count(jwt.BoolClaim(name).has_value()) + Count(jwt.StringListClaim(name).has_value());
    sink += jwt.JsonClaim(name).value_or("").size();
  }
  Check(sink != static_cast<std::size_t>(-1), "accessors");
}

void VerifyToken(const Fixture& fixture, std::string_view token) {
  bool accepted = false;
  for (const writ::Validator* validator : {&fixture.strict, &fixture.lax}) {
    auto verified = fixture.verifier.Verify(token, *validator);
    if (verified) {
      accepted = true;
      Inspect(*verified);
    }
  }
  auto decoded = writ::DecodeUnverified(token);
  // Whatever the verifier accepts must at least be well-formed.
  Check(!accepted || decoded.has_value(), "verified token that DecodeUnverified refuses");
}

// Signs "HEADER\0PAYLOAD" with the HS256 key and verifies the token.
void VerifySigned(const Fixture& fixture, std::string_view header_json,
                  std::string_view payload_json) {
  const std::string signing_input = Base64Url(header_json) + "." + Base64Url(payload_json);
  unsigned char tag[EVP_MAX_MD_SIZE];
  std::size_t tag_size = 0;
  const auto secret = fixture.hmac_secret.expose_secret();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                reinterpret_cast<const unsigned char*>(signing_input.data()),
                signing_input.size(), tag, sizeof(tag), &tag_size) == nullptr) {
    std::abort();
  }
  const std::string token =
      signing_input + "." +
      Base64Url(std::string_view(reinterpret_cast<const char*>(tag), tag_size));
  for (const writ::Validator* validator : {&fixture.strict, &fixture.lax}) {
    auto verified = fixture.verifier.Verify(token, *validator);
    if (verified) {
      Inspect(*verified);
      Check(verified->payload_json() == payload_json, "payload differs from what was signed");
      Check(verified->alg() == writ::Alg::kHs256 && verified->kid() == "hs",
            "a token signed with the HS256 key verified under another key");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  GetFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& fixture = GetFixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  VerifyToken(fixture, input);
  const std::size_t split = input.find('\0');
  if (split != std::string_view::npos) {
    VerifySigned(fixture, input.substr(0, split), input.substr(split + 1));
  }
  return 0;
}
