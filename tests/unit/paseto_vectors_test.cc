// Known-answer tests: every v4 and v3 token vector of paseto-standard/test-vectors
// (tests/vectors/paseto/v4.json, v3.json). Expected failures fail; everything else
// decrypts or verifies to the vector's payload and footer, and local tokens (and v4.public,
// whose Ed25519 signatures are deterministic) are re-created byte for byte. v3.public
// signatures use a random ECDSA nonce (OpenSSL 3.0 has no RFC 6979), so for those the
// vector verifies and writ's own signature round-trips instead.
#include <gtest/gtest.h>

#include "core/paseto/protocol.h"
#include "vector_files.h"
#include "writ/paseto.h"

namespace writ {
namespace {

using vectors::AsBytes;
using vectors::HexDecode;

struct PasetoVector {
  std::string name;
  bool expect_fail = false;
  std::string token;
  std::string key;         // local key bytes
  std::string nonce;
  std::string public_key;  // raw bytes
  std::string secret_key;
  std::string payload;
  std::string footer;
  std::string implicit;
};

std::vector<PasetoVector> LoadVectors(std::string_view file) {
  auto json = vectors::LoadJsonVector(file);
  std::vector<PasetoVector> result;
  for (auto test : json.root["tests"].get_array()) {
    PasetoVector vector;
    vector.name = std::string(test["name"].get_string().value());
    vector.expect_fail = test["expect-fail"].get_bool().value();
    vector.token = std::string(test["token"].get_string().value());
    const auto text = [&](const char* member) -> std::string {
      std::string_view value;
      return test[member].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
    };
    vector.key = HexDecode(text("key"));
    vector.nonce = HexDecode(text("nonce"));
    vector.public_key = HexDecode(text("public-key"));
    vector.secret_key = HexDecode(text("secret-key"));
    vector.payload = text("payload");
    vector.footer = text("footer");
    vector.implicit = text("implicit-assertion");
    result.push_back(std::move(vector));
  }
  return result;
}

bool IsLocal(const PasetoVector& vector) { return !vector.key.empty(); }

// Purpose and version confusion cannot even be written: no overload takes these pairs.
template <typename Key>
constexpr bool kCanDecryptWith = requires(const Key& key, std::string_view token) { paseto::Decrypt(key, token); };
template <typename Key>
constexpr bool kCanVerifyWith = requires(const Key& key, std::string_view token) { paseto::Verify(key, token); };
static_assert(kCanDecryptWith<V4LocalKey> && kCanDecryptWith<V3LocalKey>);
static_assert(!kCanDecryptWith<V4PublicKey> && !kCanDecryptWith<V4SecretKey> && !kCanDecryptWith<V3PublicKey>);
static_assert(kCanVerifyWith<V4PublicKey> && kCanVerifyWith<V3PublicKey>);
static_assert(!kCanVerifyWith<V4LocalKey> && !kCanVerifyWith<V3LocalKey> && !kCanVerifyWith<V4SecretKey>);
static_assert(!std::is_convertible_v<V4LocalKey, V3LocalKey> && !std::is_convertible_v<V3LocalKey, V4LocalKey>);

TEST(PasetoV4Vectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadVectors("paseto/v4.json");
  ASSERT_EQ(vectors.size(), 17u);
  int checked = 0;
  for (const PasetoVector& vector : vectors) {
    SCOPED_TRACE(vector.name);
    if (IsLocal(vector)) {
      auto key = V4LocalKey::FromBytes(AsBytes(vector.key));
      ASSERT_TRUE(key.has_value());
      auto decrypted = paseto::Decrypt(*key, vector.token, vector.implicit);
      if (vector.expect_fail) {
        EXPECT_FALSE(decrypted.has_value());
      } else {
        ASSERT_TRUE(decrypted.has_value()) << decrypted.error().detail;
        EXPECT_EQ(decrypted->payload, vector.payload);
        EXPECT_EQ(decrypted->footer, vector.footer);
        auto encrypted = internal::EncryptV4LocalWithNonce(*key, vector.payload, vector.footer, vector.implicit,
                                                           vector.nonce);
        ASSERT_TRUE(encrypted.has_value());
        EXPECT_EQ(*encrypted, vector.token);
      }
    } else {
      auto public_key = V4PublicKey::FromBytes(AsBytes(vector.public_key));
      ASSERT_TRUE(public_key.has_value());
      auto verified = paseto::Verify(*public_key, vector.token, vector.implicit);
      if (vector.expect_fail) {
        EXPECT_FALSE(verified.has_value());
        // 4-F-1 is a v4.local token encrypted with the public key's bytes as a local key.
        // A V4PublicKey cannot be handed to Decrypt at all (checked at compile time below).
      } else {
        ASSERT_TRUE(verified.has_value()) << verified.error().detail;
        EXPECT_EQ(verified->payload, vector.payload);
        EXPECT_EQ(verified->footer, vector.footer);
        auto secret_key = V4SecretKey::FromBytes(AsBytes(vector.secret_key));
        ASSERT_TRUE(secret_key.has_value());
        EXPECT_EQ(secret_key->public_key().bytes(), vector.public_key);
        auto signed_token = paseto::Sign(*secret_key, vector.payload, vector.footer, vector.implicit);
        ASSERT_TRUE(signed_token.has_value());
        EXPECT_EQ(*signed_token, vector.token);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 17);
}

TEST(PasetoV3Vectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadVectors("paseto/v3.json");
  ASSERT_EQ(vectors.size(), 17u);
  int checked = 0;
  for (const PasetoVector& vector : vectors) {
    SCOPED_TRACE(vector.name);
    if (IsLocal(vector)) {
      auto key = V3LocalKey::FromBytes(AsBytes(vector.key));
      ASSERT_TRUE(key.has_value());
      auto decrypted = paseto::Decrypt(*key, vector.token, vector.implicit);
      if (vector.expect_fail) {
        EXPECT_FALSE(decrypted.has_value());
      } else {
        ASSERT_TRUE(decrypted.has_value()) << decrypted.error().detail;
        EXPECT_EQ(decrypted->payload, vector.payload);
        EXPECT_EQ(decrypted->footer, vector.footer);
        auto encrypted = internal::EncryptV3LocalWithNonce(*key, vector.payload, vector.footer, vector.implicit,
                                                           vector.nonce);
        ASSERT_TRUE(encrypted.has_value());
        EXPECT_EQ(*encrypted, vector.token);
      }
    } else {
      auto public_key = V3PublicKey::FromBytes(AsBytes(vector.public_key));
      ASSERT_TRUE(public_key.has_value()) << public_key.error().detail;
      auto verified = paseto::Verify(*public_key, vector.token, vector.implicit);
      if (vector.expect_fail) {
        EXPECT_FALSE(verified.has_value());
      } else {
        ASSERT_TRUE(verified.has_value()) << verified.error().detail;
        EXPECT_EQ(verified->payload, vector.payload);
        EXPECT_EQ(verified->footer, vector.footer);
        auto secret_key = V3SecretKey::FromBytes(AsBytes(vector.secret_key));
        ASSERT_TRUE(secret_key.has_value()) << secret_key.error().detail;
        EXPECT_EQ(secret_key->public_key().bytes(), vector.public_key);
        auto signed_token = paseto::Sign(*secret_key, vector.payload, vector.footer, vector.implicit);
        ASSERT_TRUE(signed_token.has_value());
        auto reverified = paseto::Verify(*public_key, *signed_token, vector.implicit);
        ASSERT_TRUE(reverified.has_value());
        EXPECT_EQ(reverified->payload, vector.payload);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 17);
}

}  // namespace
}  // namespace writ
