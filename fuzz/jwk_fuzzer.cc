// libFuzzer target for JWK and JWK Set parsing (RFC 7517): Key::FromJwk and
// KeySet::FromJwks must never crash on any input, and whatever loads must export and
// re-import consistently.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "writ/writ.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "jwk_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

// Check() for a Result: on failure also prints why the library refused.
template <typename T>
void CheckLoaded(const writ::Result<T>& result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "jwk_fuzzer: %s: %s\n",
                 std::string(writ::ErrorCodeName(result.error().code)).c_str(),
                 result.error().detail.c_str());
  }
  Check(result.has_value(), what);
}

std::string_view AsText(const writ::SecretBytes& bytes) {
  const auto span = bytes.expose_secret();
  return {reinterpret_cast<const char*>(span.data()), span.size()};
}

// A loaded key's exports must load again as the same key (RFC 7638 thumbprint, alg, kid).
void CheckKey(const writ::Key& key) {
  const std::string thumbprint = key.Thumbprint();
  Check(!thumbprint.empty(), "empty thumbprint");
  Check(key.key_bits() > 0, "key_bits");

  auto public_jwk = key.ToPublicJwk();
  Check(public_jwk.has_value() != writ::IsSymmetric(key.alg()),
        "ToPublicJwk must succeed exactly for asymmetric keys");
  if (public_jwk) {
    auto again = writ::Key::FromJwk(*public_jwk);
    CheckLoaded(again, "the public JWK of a loaded key does not load");
    Check(again->alg() == key.alg(), "public JWK round trip changed alg");
    Check(again->kid() == key.kid(), "public JWK round trip changed kid");
    Check(again->Thumbprint() == thumbprint, "public JWK round trip changed the thumbprint");
    Check(!again->can_sign(), "a public JWK made a signing key");
    Check(again->ToPublicJwk().value_or("") == *public_jwk, "public JWK export is not stable");
    auto public_key = key.PublicKey();
    Check(public_key.has_value() && public_key->Thumbprint() == thumbprint, "PublicKey()");
  }

  if (key.can_sign()) {
    auto private_jwk = key.ToPrivateJwk();
    CheckLoaded(private_jwk, "a signing key without a private JWK");
    auto again = writ::Key::FromJwk(AsText(*private_jwk));
    CheckLoaded(again, "the private JWK of a loaded key does not load");
    Check(again->alg() == key.alg() && again->kid() == key.kid() && again->can_sign(),
          "private JWK round trip changed the key");
    Check(again->Thumbprint() == thumbprint, "private JWK round trip changed the thumbprint");
  }
}

void CheckKeySet(const writ::KeySet& set) {
  std::size_t asymmetric = 0;
  for (const writ::Key& key : set.keys()) {
    Check(set.FindByKid(key.kid()) == &key, "FindByKid");
    asymmetric += writ::IsSymmetric(key.alg()) ? 0 : 1;
  }
  const std::string published = set.ToPublicJwks();
  auto again = writ::KeySet::FromJwks(published);
  if (asymmetric > 0) {
    CheckLoaded(again, "the public JWKS of a loaded set does not load");
  }
  if (again) {
    Check(again->size() == asymmetric, "public JWKS must hold exactly the asymmetric keys");
    for (const writ::Key& key : again->keys()) {
      Check(!key.can_sign(), "public JWKS made a signing key");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto key = writ::Key::FromJwk(input)) {
    CheckKey(*key);
  }
  if (auto set = writ::KeySet::FromJwks(input)) {
    for (const writ::Key& key : set->keys()) {
      CheckKey(key);
    }
    CheckKeySet(*set);
  }
  return 0;
}
