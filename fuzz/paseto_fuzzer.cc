// libFuzzer target for the PASETO read path: PasetoReader::Read for all four key types
// (v4.local, v3.local, v4.public, v3.public) and paseto::UnverifiedFooter must never
// crash, leak or hit undefined behaviour, whatever the input.
//
// Two kinds of input:
//  - a token, read as is by every reader with two validators and two implicit
//    assertions. A fuzzer cannot forge tags or signatures, so this reaches the size
//    limits, the header and base64url checks, the footer rules (key material, strict
//    JSON, kid) and key selection, but not the claims.
//  - "S PAYLOAD\0FOOTER" (S: one selector byte): the target makes a token of PAYLOAD and
//    FOOTER with the key type S picks, then reads it back, so what runs only after a good
//    tag or signature is fuzzed too: the strict payload parse with RFC 3339 times and the
//    validator. Invariants: what is made opens to the same payload and footer, and is
//    accepted by no reader of another version or purpose.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "writ/writ.h"
#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_reader.h"

namespace {

// Fixed "now" (2025-11-24T16:00:00Z), so that runs are reproducible.
constexpr std::int64_t kNow = 1764000000;
constexpr std::string_view kImplicit = "tenant-42";

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "paseto_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

template <typename T>
T Must(writ::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "paseto_fuzzer setup: %s: %s\n", what, result.error().detail.c_str());
    std::abort();
  }
  return std::move(*result);
}

template <typename Key>
writ::PasetoReader<Key> ReaderOf(Key key) {
  std::vector<Key> ring;
  ring.push_back(std::move(key));
  return Must(writ::PasetoReader<Key>::Create(std::move(ring)), "reader");
}

struct Fixture {
  writ::V4LocalKey v4_local;
  writ::V3LocalKey v3_local;
  writ::V4SecretKey v4_secret;
  writ::V3SecretKey v3_secret;
  writ::PasetoReader<writ::V4LocalKey> v4_local_reader;
  writ::PasetoReader<writ::V3LocalKey> v3_local_reader;
  writ::PasetoReader<writ::V4PublicKey> v4_public_reader;
  writ::PasetoReader<writ::V3PublicKey> v3_public_reader;
  writ::Validator strict;  // iss, aud, exp required
  writ::Validator lax;     // no exp required, aud ignored, maximum skew
};

// Keys are generated once per process; no key material is stored anywhere.
const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    writ::V4LocalKey v4_local = writ::V4LocalKey::Generate();
    writ::V3LocalKey v3_local = writ::V3LocalKey::Generate();
    writ::V4SecretKey v4_secret = writ::V4SecretKey::Generate();
    writ::V3SecretKey v3_secret = Must(writ::V3SecretKey::Generate(), "v3 secret");
    auto clock = std::make_shared<writ::FixedClock>(writ::Seconds(std::chrono::seconds(kNow)));
    return new Fixture{
        v4_local,
        v3_local,
        v4_secret,
        v3_secret,
        ReaderOf(v4_local),
        ReaderOf(v3_local),
        ReaderOf(v4_secret.public_key()),
        ReaderOf(v3_secret.public_key()),
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
void Inspect(const writ::VerifiedPaseto& token) {
  std::size_t sink = token.kid().size() + token.footer().size() + token.payload_json().size();
  sink += token.audiences().size() + token.issuer().value_or("").size() + token.subject().value_or("").size();
  sink += token.jwt_id().value_or("").size() + Count(token.expires_at().has_value()) +
          Count(token.not_before().has_value()) + Count(token.issued_at().has_value());
  for (const char* name : {"iss", "aud", "exp", "nbf", "iat", "roles", "nested"}) {
    sink += Count(token.HasClaim(name)) + Count(token.StringClaim(name).has_value()) +
            Count(token.IntegerClaim(name).has_value()) + Count(token.NumberClaim(name).has_value()) +
            Count(token.BoolClaim(name).has_value()) + Count(token.StringListClaim(name).has_value());
    sink += token.JsonClaim(name).value_or("").size();
  }
  Check(sink != static_cast<std::size_t>(-1), "accessors");
}

// Reads `token` with every reader, validator and implicit assertion; returns how many
// readers accepted it (with any validator and implicit assertion).
int ReadAll(const Fixture& fixture, std::string_view token) {
  int accepted_by = 0;
  auto read = [&](const auto& reader) {
    bool accepted = false;
    for (const writ::Validator* validator : {&fixture.strict, &fixture.lax}) {
      for (std::string_view implicit : {std::string_view(), kImplicit}) {
        auto verified = reader.Read(token, *validator, implicit);
        if (verified) {
          accepted = true;
          Inspect(*verified);
          Check(writ::paserk::ContainsKeyMaterial(verified->footer()) == false, "key material in an accepted footer");
        }
      }
    }
    accepted_by += accepted ? 1 : 0;
  };
  read(fixture.v4_local_reader);
  read(fixture.v3_local_reader);
  read(fixture.v4_public_reader);
  read(fixture.v3_public_reader);
  auto footer = writ::paseto::UnverifiedFooter(token);
  Check(accepted_by == 0 || footer.has_value(), "an accepted token whose footer UnverifiedFooter refuses");
  return accepted_by;
}

// Makes a token of `payload` and `footer` with the key `selector` picks, and reads it back.
void MakeAndRead(const Fixture& fixture, std::uint8_t selector, std::string_view payload, std::string_view footer) {
  const std::string_view implicit = (selector & 4) != 0 ? kImplicit : std::string_view();
  writ::Result<std::string> token = writ::Fail(writ::ErrorCode::kInvalidArgument, "unset");
  writ::Result<writ::PasetoMessage> opened = writ::Fail(writ::ErrorCode::kInvalidArgument, "unset");
  switch (selector & 3) {
    case 0:
      token = writ::paseto::Encrypt(fixture.v4_local, payload, footer, implicit);
      if (token) {
        opened = writ::paseto::Decrypt(fixture.v4_local, *token, implicit);
      }
      break;
    case 1:
      token = writ::paseto::Encrypt(fixture.v3_local, payload, footer, implicit);
      if (token) {
        opened = writ::paseto::Decrypt(fixture.v3_local, *token, implicit);
      }
      break;
    case 2:
      token = writ::paseto::Sign(fixture.v4_secret, payload, footer, implicit);
      if (token) {
        opened = writ::paseto::Verify(fixture.v4_secret.public_key(), *token, implicit);
      }
      break;
    default:
      token = writ::paseto::Sign(fixture.v3_secret, payload, footer, implicit);
      if (token) {
        opened = writ::paseto::Verify(fixture.v3_secret.public_key(), *token, implicit);
      }
      break;
  }
  if (!token) {
    return;
  }
  Check(opened.has_value(), "a token writ made does not open with its own key");
  Check(opened->payload == payload && opened->footer == footer, "payload or footer changed in a round trip");
  Check(ReadAll(fixture, *token) <= 1, "a token accepted by readers of two versions or purposes");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  GetFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& fixture = GetFixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadAll(fixture, input);
  const std::size_t split = input.find('\0');
  if (size > 1 && split != std::string_view::npos && split >= 1) {
    MakeAndRead(fixture, data[0], input.substr(1, split - 1), input.substr(split + 1));
  }
  return 0;
}
