// Plain key PASERKs: "kN.local." (types/local.md), "kN.public." (types/public.md) and
// "kN.secret." (types/secret.md), the data being the raw key bytes in base64url.
#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "writ/paserk.h"

namespace writ::paserk {
namespace {

constexpr std::string_view kV4Local = "k4.local.";
constexpr std::string_view kV4Public = "k4.public.";
constexpr std::string_view kV4Secret = "k4.secret.";
constexpr std::string_view kV3Local = "k3.local.";
constexpr std::string_view kV3Public = "k3.public.";
constexpr std::string_view kV3Secret = "k3.secret.";

// Decodes a key of `Key::kSize` bytes after `prefix` and hands it to Key::FromBytes, which
// applies the type's own checks. The decoded bytes never leave a wiped stack buffer.
template <typename Key>
Result<Key> ParseKey(std::string_view paserk, std::string_view prefix) {
  internal::WipedBuffer<Key::kSize> bytes;
  if (auto decoded = internal::DecodeKeyPaserk(paserk, prefix, bytes.span()); !decoded) {
    return tl::unexpected(decoded.error());
  }
  return Key::FromBytes(bytes.span());
}

}  // namespace

SecretBytes ToPaserk(const V4LocalKey& key) { return internal::EncodeSecretPaserk(kV4Local, key.secret().expose_secret()); }
std::string ToPaserk(const V4PublicKey& key) { return internal::EncodePaserk(kV4Public, key.bytes()); }
SecretBytes ToPaserk(const V4SecretKey& key) {
  return internal::EncodeSecretPaserk(kV4Secret, key.secret().expose_secret());
}
SecretBytes ToPaserk(const V3LocalKey& key) { return internal::EncodeSecretPaserk(kV3Local, key.secret().expose_secret()); }
std::string ToPaserk(const V3PublicKey& key) { return internal::EncodePaserk(kV3Public, key.bytes()); }
SecretBytes ToPaserk(const V3SecretKey& key) {
  return internal::EncodeSecretPaserk(kV3Secret, key.secret().expose_secret());
}

Result<V4LocalKey> ParseV4Local(std::string_view paserk) { return ParseKey<V4LocalKey>(paserk, kV4Local); }
Result<V4PublicKey> ParseV4Public(std::string_view paserk) { return ParseKey<V4PublicKey>(paserk, kV4Public); }
Result<V4SecretKey> ParseV4Secret(std::string_view paserk) { return ParseKey<V4SecretKey>(paserk, kV4Secret); }
Result<V3LocalKey> ParseV3Local(std::string_view paserk) { return ParseKey<V3LocalKey>(paserk, kV3Local); }
Result<V3PublicKey> ParseV3Public(std::string_view paserk) { return ParseKey<V3PublicKey>(paserk, kV3Public); }
Result<V3SecretKey> ParseV3Secret(std::string_view paserk) { return ParseKey<V3SecretKey>(paserk, kV3Secret); }

}  // namespace writ::paserk
