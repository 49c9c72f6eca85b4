// libFuzzer target for PASERK parsing: every strict parser (ParseV4Local ... ParseV3Secret),
// the symmetric unwrapping, password unwrapping and unsealing with fixed keys, and
// ContainsKeyMaterial must never crash, leak or hit undefined behaviour, whatever the
// input. Invariants: a PASERK that parses serialises back to the same string (the
// encoding is canonical), and anything that parses as a key carries key material.
//
// Password unwrapping is bounded by the library's caps (kMaxArgon2idMemlimit,
// kMaxArgon2idOpslimit, kMaxPbkdf2Iterations), but a capped Argon2id run still takes
// about a second and 1 GiB, and 10^7 PBKDF2 rounds longer: inputs whose cost fields ask
// for more than a fuzzing budget (64 KiB and 3 passes; 1000 iterations) are given only
// to the parsers, not to the key derivation.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base64url.h"
#include "writ/paserk.h"
#include "writ/paseto_keys.h"

namespace {

constexpr std::string_view kPassword = "correct horse battery staple";
constexpr std::uint64_t kMaxFuzzMemlimit = 64 * 1024;
constexpr std::uint64_t kMaxFuzzOpslimit = 3;
constexpr std::uint64_t kMaxFuzzIterations = 1000;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "paserk_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

template <typename T>
T Must(writ::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "paserk_fuzzer setup: %s: %s\n", what, result.error().detail.c_str());
    std::abort();
  }
  return std::move(*result);
}

struct Fixture {
  writ::V4LocalKey v4_wrapping;
  writ::V3LocalKey v3_wrapping;
  writ::V4SecretKey v4_recipient;
  writ::V3SecretKey v3_recipient;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = new Fixture{writ::V4LocalKey::Generate(), writ::V3LocalKey::Generate(),
                                              writ::V4SecretKey::Generate(),
                                              Must(writ::V3SecretKey::Generate(), "v3 recipient")};
  return *fixture;
}

std::string_view AsText(const writ::SecretBytes& bytes) {
  std::span<const std::uint8_t> span = bytes.expose_secret();
  return std::string_view(reinterpret_cast<const char*>(span.data()), span.size());
}
std::string_view AsText(const std::string& text) { return text; }

// A parsed key must serialise back to exactly its input and be seen as key material.
template <typename Key>
void CheckParsed(const writ::Result<Key>& key, std::string_view input) {
  if (!key) {
    return;
  }
  const auto paserk = writ::paserk::ToPaserk(*key);
  Check(AsText(paserk) == input, "a parsed PASERK does not serialise back to its input");
  Check(writ::paserk::ContainsKeyMaterial(input), "a parsed key is not seen as key material");
}

std::uint64_t BigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (const char byte : bytes) {
    value = (value << 8) | static_cast<std::uint8_t>(byte);
  }
  return value;
}

// False when `input` is a password-wrapped PASERK whose cost fields exceed the fuzzing
// budget (those go to the parsers only). Inputs that do not decode are cheap to refuse.
bool CheapToDerive(std::string_view input, std::string_view header, bool argon2id) {
  if (input.substr(0, header.size()) != header) {
    return true;  // refused by its prefix before any derivation
  }
  std::optional<std::string> body = writ::internal::Base64UrlDecode(input.substr(header.size()));
  if (!body) {
    return true;
  }
  if (argon2id) {
    if (body->size() < 16 + 16) {
      return true;
    }
    return BigEndian(std::string_view(*body).substr(16, 8)) <= kMaxFuzzMemlimit &&
           BigEndian(std::string_view(*body).substr(24, 4)) <= kMaxFuzzOpslimit;
  }
  if (body->size() < 32 + 4) {
    return true;
  }
  return BigEndian(std::string_view(*body).substr(32, 4)) <= kMaxFuzzIterations;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  GetFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace paserk = writ::paserk;
  const Fixture& fixture = GetFixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  CheckParsed(paserk::ParseV4Local(input), input);
  CheckParsed(paserk::ParseV4Public(input), input);
  CheckParsed(paserk::ParseV4Secret(input), input);
  CheckParsed(paserk::ParseV3Local(input), input);
  CheckParsed(paserk::ParseV3Public(input), input);
  CheckParsed(paserk::ParseV3Secret(input), input);
  if (auto key = paserk::ParseV4Local(input)) {
    Check(StartsWith(paserk::Lid(*key), "k4.lid."), "lid prefix");
  }
  if (auto key = paserk::ParseV3Secret(input)) {
    Check(StartsWith(paserk::Sid(*key), "k3.sid.") && StartsWith(paserk::Pid(key->public_key()), "k3.pid."),
          "sid/pid prefix");
  }

  // Wrapped keys: a fuzzer cannot forge the tag, so these stop at parsing and the tag check.
  (void)paserk::UnwrapLocal(fixture.v4_wrapping, input);
  (void)paserk::UnwrapSecret(fixture.v4_wrapping, input);
  (void)paserk::UnwrapLocal(fixture.v3_wrapping, input);
  (void)paserk::UnwrapSecret(fixture.v3_wrapping, input);
  (void)paserk::Unseal(fixture.v4_recipient, input);
  (void)paserk::Unseal(fixture.v3_recipient, input);

  if (CheapToDerive(input, "k4.local-pw.", true) && CheapToDerive(input, "k4.secret-pw.", true)) {
    (void)paserk::PasswordUnwrapV4Local(input, kPassword);
    (void)paserk::PasswordUnwrapV4Secret(input, kPassword);
  }
  if (CheapToDerive(input, "k3.local-pw.", false) && CheapToDerive(input, "k3.secret-pw.", false)) {
    (void)paserk::PasswordUnwrapV3Local(input, kPassword);
    (void)paserk::PasswordUnwrapV3Secret(input, kPassword);
  }

  (void)paserk::ContainsKeyMaterial(input);
  return 0;
}
