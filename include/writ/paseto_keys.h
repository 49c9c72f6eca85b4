// PASETO keys (https://github.com/paseto-standard/paseto-spec): one C++ type per version
// and purpose, so a v4.local key cannot reach a v4.public or v3 operation.
#ifndef WRIT_PASETO_KEYS_H_
#define WRIT_PASETO_KEYS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ {

namespace internal {
class P384Key;
}  // namespace internal

// A symmetric key for vN.local: 32 bytes. Generate() draws them from the CSPRNG.
template <int kVersion>
class PasetoLocalKey {
 public:
  static constexpr std::size_t kSize = 32;
  static PasetoLocalKey Generate() { return PasetoLocalKey(SecretBytes::Random(kSize)); }
  // kInvalidKey unless exactly 32 bytes.
  static Result<PasetoLocalKey> FromBytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != kSize) {
      return Fail(ErrorCode::kInvalidKey, "a local key is exactly 32 bytes");
    }
    return PasetoLocalKey(SecretBytes(bytes));
  }
  const SecretBytes& secret() const { return key_; }

 private:
  explicit PasetoLocalKey(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

using V4LocalKey = PasetoLocalKey<4>;
using V3LocalKey = PasetoLocalKey<3>;

// v4.public verification key: an Ed25519 public key (32 bytes).
class V4PublicKey {
 public:
  static constexpr std::size_t kSize = 32;
  static Result<V4PublicKey> FromBytes(std::span<const std::uint8_t> bytes);
  const std::string& bytes() const { return bytes_; }

 private:
  explicit V4PublicKey(std::string bytes) : bytes_(std::move(bytes)) {}
  friend class V4SecretKey;
  std::string bytes_;
};

// v4.public signing key: libsodium's 64-byte Ed25519 secret key (seed || public key).
class V4SecretKey {
 public:
  static constexpr std::size_t kSize = 64;
  static V4SecretKey Generate();
  // kInvalidKey unless 64 bytes whose second half is the public key of the first.
  static Result<V4SecretKey> FromBytes(std::span<const std::uint8_t> bytes);
  static Result<V4SecretKey> FromSeed(std::span<const std::uint8_t> seed);
  V4PublicKey public_key() const;
  const SecretBytes& secret() const { return key_; }

 private:
  explicit V4SecretKey(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

// v3.public verification key: a P-384 point, serialised compressed (49 bytes).
class V3PublicKey {
 public:
  static constexpr std::size_t kSize = 49;
  // kInvalidKey unless a compressed point on P-384.
  static Result<V3PublicKey> FromBytes(std::span<const std::uint8_t> compressed);
  const std::string& bytes() const;
  const internal::P384Key& key() const { return *key_; }

 private:
  explicit V3PublicKey(std::shared_ptr<const internal::P384Key> key) : key_(std::move(key)) {}
  friend class V3SecretKey;
  std::shared_ptr<const internal::P384Key> key_;
};

// v3.public signing key: a P-384 scalar (48 bytes).
class V3SecretKey {
 public:
  static constexpr std::size_t kSize = 48;
  static Result<V3SecretKey> Generate();
  // kInvalidKey unless 48 bytes encoding a scalar in [1, n-1].
  static Result<V3SecretKey> FromBytes(std::span<const std::uint8_t> scalar);
  V3PublicKey public_key() const { return V3PublicKey(key_); }
  // The 48-byte scalar, in secure memory.
  SecretBytes secret() const;
  const internal::P384Key& key() const { return *key_; }

 private:
  explicit V3SecretKey(std::shared_ptr<const internal::P384Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const internal::P384Key> key_;
};

}  // namespace writ

#endif  // WRIT_PASETO_KEYS_H_
