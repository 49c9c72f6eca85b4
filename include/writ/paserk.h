// PASERK k3/k4 (https://github.com/paseto-standard/paserk): serialised PASETO keys, their
// IDs, and wrapped keys (symmetric "pie" wrapping, password wrapping, sealing to a public
// key). Every function takes and returns the typed keys of writ/paseto_keys.h, so a k4
// key cannot be serialised as k3, a secret key cannot be wrapped as a local one, and a
// parser returns only the one key type it is named after.
#ifndef WRIT_PASERK_H_
#define WRIT_PASERK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "writ/paseto_keys.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::paserk {

// Upper bounds on the cost parameters read from a password-wrapped PASERK, so a hostile
// "kN.*-pw." string cannot make us burn unbounded memory or time (kTooLarge past them).
inline constexpr std::uint64_t kMaxArgon2idMemlimit = std::uint64_t{1} << 30;  // 1 GiB
inline constexpr std::uint32_t kMaxArgon2idOpslimit = 16;
inline constexpr std::uint32_t kMaxPbkdf2Iterations = 10'000'000;

// --- Plain serialisation: "kN.local.", "kN.public.", "kN.secret." (types/local.md,
// public.md, secret.md). Secret material comes back as SecretBytes.

SecretBytes ToPaserk(const V4LocalKey& key);   // "k4.local.…"
std::string ToPaserk(const V4PublicKey& key);  // "k4.public.…"
SecretBytes ToPaserk(const V4SecretKey& key);  // "k4.secret.…" (seed || public key)
SecretBytes ToPaserk(const V3LocalKey& key);   // "k3.local.…"
std::string ToPaserk(const V3PublicKey& key);  // "k3.public.…" (compressed point)
SecretBytes ToPaserk(const V3SecretKey& key);  // "k3.secret.…" (48-byte scalar)

// Strict parsers. Each returns the key, or kMalformed unless `paserk` starts with exactly
// its own prefix and continues with canonical unpadded base64url, or kInvalidKey when the
// decoded key has the wrong length or is not a valid key (a k3 public key must be a
// compressed P-384 point; a k4 secret key's second half must be the public key of its
// seed; a k3 secret key must be in [1, n-1]).
[[nodiscard]] Result<V4LocalKey> ParseV4Local(std::string_view paserk);
[[nodiscard]] Result<V4PublicKey> ParseV4Public(std::string_view paserk);
[[nodiscard]] Result<V4SecretKey> ParseV4Secret(std::string_view paserk);
[[nodiscard]] Result<V3LocalKey> ParseV3Local(std::string_view paserk);
[[nodiscard]] Result<V3PublicKey> ParseV3Public(std::string_view paserk);
[[nodiscard]] Result<V3SecretKey> ParseV3Secret(std::string_view paserk);

// --- IDs (operations/ID.md): "kN.lid.", "kN.pid.", "kN.sid." followed by 33 hash bytes
// of the prefix and the key's PASERK (k4: BLAKE2b-264; k3: SHA-384 truncated). They name
// a key without revealing it, and are the only PASERKs a token footer's kid may carry.

std::string Lid(const V4LocalKey& key);
std::string Lid(const V3LocalKey& key);
std::string Pid(const V4PublicKey& key);
std::string Pid(const V3PublicKey& key);
std::string Sid(const V4SecretKey& key);
std::string Sid(const V3SecretKey& key);

// --- Symmetric wrapping with the "pie" protocol (operations/Wrap/pie.md): the wrapping
// key is a local key of the same version. k4: XChaCha20 + BLAKE2b; k3: AES-256-CTR +
// HMAC-SHA384. The tag is checked before anything is decrypted.

// "k4.local-wrap.pie.…" / "k4.secret-wrap.pie.…" / "k3.…": a fresh random nonce each call.
Result<std::string> Wrap(const V4LocalKey& wrapping_key, const V4LocalKey& key);
Result<std::string> Wrap(const V4LocalKey& wrapping_key, const V4SecretKey& key);
Result<std::string> Wrap(const V3LocalKey& wrapping_key, const V3LocalKey& key);
Result<std::string> Wrap(const V3LocalKey& wrapping_key, const V3SecretKey& key);

// The wrapped key, or kMalformed (wrong prefix, version or length, bad base64url),
// kBadSignature (the tag does not verify: wrong wrapping key or altered data) or
// kInvalidKey (it authenticates but is no valid key of that type).
[[nodiscard]] Result<V4LocalKey> UnwrapLocal(const V4LocalKey& wrapping_key, std::string_view paserk);
[[nodiscard]] Result<V4SecretKey> UnwrapSecret(const V4LocalKey& wrapping_key, std::string_view paserk);
[[nodiscard]] Result<V3LocalKey> UnwrapLocal(const V3LocalKey& wrapping_key, std::string_view paserk);
[[nodiscard]] Result<V3SecretKey> UnwrapSecret(const V3LocalKey& wrapping_key, std::string_view paserk);

// --- Password wrapping (operations/PBKW.md).

// k4: Argon2id through libsodium. memlimit is in bytes (libsodium's convention, as the
// PASERK format stores it). libsodium computes Argon2id with one lane only, so
// parallelism must be 1.
struct Argon2idParams {
  std::uint64_t memlimit = 64 * 1024 * 1024;
  std::uint32_t opslimit = 2;
  std::uint32_t parallelism = 1;
};

// k3: PBKDF2-HMAC-SHA384.
struct Pbkdf2Params {
  std::uint32_t iterations = 100'000;
};

// "k4.local-pw.…" / "k4.secret-pw.…" / "k3.…" with a fresh random salt and nonce.
// kInvalidArgument for parameters libsodium/OpenSSL cannot use (Argon2id memlimit under
// 8 KiB, opslimit 0, parallelism other than 1; zero iterations); kTooLarge past the caps.
Result<std::string> PasswordWrap(const V4LocalKey& key, std::string_view password, const Argon2idParams& params);
Result<std::string> PasswordWrap(const V4SecretKey& key, std::string_view password, const Argon2idParams& params);
Result<std::string> PasswordWrap(const V3LocalKey& key, std::string_view password, const Pbkdf2Params& params);
Result<std::string> PasswordWrap(const V3SecretKey& key, std::string_view password, const Pbkdf2Params& params);

// The wrapped key, or kMalformed (prefix, length, encoding, or cost parameters out of
// the algorithm's range), kTooLarge (cost parameters over the caps above: checked before
// any key derivation), kUnsupportedAlg (Argon2id parallelism other than 1), kBadSignature
// (wrong password or altered data) or kInvalidKey.
[[nodiscard]] Result<V4LocalKey> PasswordUnwrapV4Local(std::string_view paserk, std::string_view password);
[[nodiscard]] Result<V4SecretKey> PasswordUnwrapV4Secret(std::string_view paserk, std::string_view password);
[[nodiscard]] Result<V3LocalKey> PasswordUnwrapV3Local(std::string_view paserk, std::string_view password);
[[nodiscard]] Result<V3SecretKey> PasswordUnwrapV3Secret(std::string_view paserk, std::string_view password);

// --- Sealing a local key to a public key (operations/PKE.md). k4: X25519 with the
// recipient's Ed25519 key converted to its birationally equivalent Montgomery form,
// XChaCha20 and BLAKE2b; k3: ECDH over P-384, AES-256-CTR and HMAC-SHA384. A fresh
// ephemeral key pair each call.

// "k4.seal.…" / "k3.seal.…"; kInvalidKey if the recipient's key has no X25519 equivalent.
Result<std::string> Seal(const V4PublicKey& recipient, const V4LocalKey& key);
Result<std::string> Seal(const V3PublicKey& recipient, const V3LocalKey& key);

// The sealed key, or kMalformed (prefix, length, encoding, an ephemeral key that is not
// a valid point) or kBadSignature (not sealed to this key, or altered).
[[nodiscard]] Result<V4LocalKey> Unseal(const V4SecretKey& recipient, std::string_view paserk);
[[nodiscard]] Result<V3LocalKey> Unseal(const V3SecretKey& recipient, std::string_view paserk);

// --- Scanning.

// True if `text` contains, anywhere, a PASERK prefix of a type that carries key material
// ("kN.local.", "kN.public.", "kN.secret.", "kN.local-wrap.", "kN.secret-wrap.",
// "kN.local-pw.", "kN.secret-pw.", "kN.seal." for any version digits N). IDs ("kN.lid.",
// "kN.pid.", "kN.sid.") do not count. For refusing a footer whose kid would leak a key:
// scan the decoded text (after JSON unescaping), not the raw JSON.
bool ContainsKeyMaterial(std::string_view text);

}  // namespace writ::paserk

#endif  // WRIT_PASERK_H_
