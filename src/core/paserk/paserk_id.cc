// PASERK IDs (operations/ID.md): h || base64url(d), where h is "kN.lid.", "kN.pid." or
// "kN.sid." and d is 33 bytes of a hash of h || the key's PASERK: BLAKE2b-264 for k4,
// SHA-384 truncated to 264 bits for k3. The 33 bytes encode to 44 characters.
#include <cstdlib>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "writ/paserk.h"

namespace writ::paserk {
namespace {

constexpr std::size_t kIdBytes = 33;

std::string_view TextOf(const SecretBytes& secret) { return internal::AsText(secret.expose_secret()); }

std::string V4Id(std::string_view header, std::string_view paserk) {
  std::uint8_t digest[kIdBytes];
  internal::Blake2b(digest, {}, {header, paserk});
  return internal::EncodePaserk(header, internal::AsText(digest));
}

std::string V3Id(std::string_view header, std::string_view paserk) {
  std::uint8_t digest[48];
  if (!internal::Sha384(digest, {header, paserk})) {
    std::abort();  // SHA-384 cannot fail short of OpenSSL being unusable
  }
  return internal::EncodePaserk(header, internal::AsText(std::span<const std::uint8_t>(digest, kIdBytes)));
}

}  // namespace

std::string Lid(const V4LocalKey& key) { return V4Id("k4.lid.", TextOf(ToPaserk(key))); }
std::string Pid(const V4PublicKey& key) { return V4Id("k4.pid.", ToPaserk(key)); }
std::string Sid(const V4SecretKey& key) { return V4Id("k4.sid.", TextOf(ToPaserk(key))); }
std::string Lid(const V3LocalKey& key) { return V3Id("k3.lid.", TextOf(ToPaserk(key))); }
std::string Pid(const V3PublicKey& key) { return V3Id("k3.pid.", ToPaserk(key)); }
std::string Sid(const V3SecretKey& key) { return V3Id("k3.sid.", TextOf(ToPaserk(key))); }

}  // namespace writ::paserk
