// PASERK seal, k4 (X25519 from Ed25519) and k3 (P-384 ECDH): every vector of
// tests/vectors/paseto/k{3,4}.seal.json unseals to the vector's key with the vector's
// secret key; expected failures fail with the right ErrorCode. The vectors do not give
// the ephemeral secret key, so sealing is checked by round trips and, with an injected
// ephemeral key, by determinism.
#include <gtest/gtest.h>
#include <sodium.h>

#include "core/paserk/paserk_internal.h"
#include "paserk_test_util.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk_test::Bytes;
using paserk_test::DataOf;
using paserk_test::LoadPaserkVectors;
using paserk_test::PaserkCase;
using paserk_test::WithCharFlipped;
using vectors::AsBytes;

// Only a local key can be sealed, and only to a public key of its own version.
template <typename Recipient, typename Key>
constexpr bool kCanSeal = requires(const Recipient& r, const Key& k) { paserk::Seal(r, k); };
static_assert(kCanSeal<V4PublicKey, V4LocalKey> && kCanSeal<V3PublicKey, V3LocalKey>);
static_assert(!kCanSeal<V4PublicKey, V3LocalKey> && !kCanSeal<V3PublicKey, V4LocalKey>);
static_assert(!kCanSeal<V4SecretKey, V4LocalKey> && !kCanSeal<V4PublicKey, V4SecretKey>);
static_assert(!kCanSeal<V4LocalKey, V4LocalKey>);

TEST(PaserkK4SealVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k4.seal.json");
  ASSERT_EQ(vectors.cases.size(), 4u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto secret_key = V4SecretKey::FromBytes(AsBytes(c.Hex("sealing-secret-key")));
    ASSERT_TRUE(secret_key.has_value());
    EXPECT_EQ(secret_key->public_key().bytes(), c.Hex("sealing-public-key"));
    auto unsealed = paserk::Unseal(*secret_key, c.Text("paserk"));
    if (c.expect_fail) {
      ASSERT_FALSE(unsealed.has_value());
      EXPECT_EQ(unsealed.error().code, paserk_test::ExpectedFailure(c.Text("paserk"), "k4.seal."));
      if (c.Text("paserk").starts_with("k4.seal.")) {
        auto canonical = paserk::Unseal(*secret_key, paserk_test::Canonical(c.Text("paserk"), "k4.seal."));
        ASSERT_FALSE(canonical.has_value());
        EXPECT_EQ(canonical.error().code, ErrorCode::kBadSignature);
      }
    } else {
      ASSERT_TRUE(unsealed.has_value()) << unsealed.error().detail;
      EXPECT_EQ(Bytes(unsealed->secret()), c.Hex("unsealed"));
      auto resealed = paserk::Seal(secret_key->public_key(), *unsealed);
      ASSERT_TRUE(resealed.has_value());
      EXPECT_EQ(paserk::Unseal(*secret_key, *resealed)->secret(), unsealed->secret());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(PaserkK3SealVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k3.seal.json");
  ASSERT_EQ(vectors.cases.size(), 4u);
  // k3.seal-fail-2 carries k4 keys (it is a k4.seal PASERK): it is tried with the k3 key
  // of the other cases, which must refuse it for its version alone.
  const std::string k3_secret_pem = vectors.cases.front().Text("sealing-secret-key");
  auto secret_key = V3SecretKey::FromBytes(AsBytes(paserk_test::P384ScalarFromPem(k3_secret_pem)));
  ASSERT_TRUE(secret_key.has_value());
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto unsealed = paserk::Unseal(*secret_key, c.Text("paserk"));
    if (c.expect_fail) {
      ASSERT_FALSE(unsealed.has_value());
      EXPECT_EQ(unsealed.error().code, paserk_test::ExpectedFailure(c.Text("paserk"), "k3.seal."));
      if (c.Text("paserk").starts_with("k3.seal.")) {
        auto canonical = paserk::Unseal(*secret_key, paserk_test::Canonical(c.Text("paserk"), "k3.seal."));
        ASSERT_FALSE(canonical.has_value());
        EXPECT_EQ(canonical.error().code, ErrorCode::kBadSignature);
      }
    } else {
      ASSERT_EQ(c.Text("sealing-secret-key"), k3_secret_pem);
      EXPECT_EQ(secret_key->public_key().bytes(), paserk_test::P384CompressedFromPem(c.Text("sealing-public-key")));
      ASSERT_TRUE(unsealed.has_value()) << unsealed.error().detail;
      EXPECT_EQ(Bytes(unsealed->secret()), c.Hex("unsealed"));
      auto resealed = paserk::Seal(secret_key->public_key(), *unsealed);
      ASSERT_TRUE(resealed.has_value());
      EXPECT_EQ(paserk::Unseal(*secret_key, *resealed)->secret(), unsealed->secret());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(PaserkSealWithEphemeral, V4IsDeterministicInTheEphemeralKey) {
  const V4SecretKey recipient = V4SecretKey::Generate();
  const V4LocalKey key = V4LocalKey::Generate();
  const std::string ephemeral(32, '\x07');
  auto first = internal::SealWithEphemeral(recipient.public_key(), key, ephemeral);
  auto second = internal::SealWithEphemeral(recipient.public_key(), key, ephemeral);
  auto other = internal::SealWithEphemeral(recipient.public_key(), key, std::string(32, '\x08'));
  ASSERT_TRUE(first && second && other);
  EXPECT_EQ(*first, *second);
  EXPECT_NE(*first, *other);
  // The data carries epk = X25519(esk, basepoint) after the 32-byte tag.
  std::uint8_t epk[crypto_scalarmult_BYTES];
  ASSERT_EQ(crypto_scalarmult_base(epk, reinterpret_cast<const std::uint8_t*>(ephemeral.data())), 0);
  EXPECT_EQ(DataOf(*first, "k4.seal.").substr(32, 32), std::string(reinterpret_cast<char*>(epk), sizeof(epk)));
  EXPECT_EQ(paserk::Unseal(recipient, *first)->secret(), key.secret());
}

TEST(PaserkSealWithEphemeral, V3IsDeterministicInTheEphemeralKey) {
  auto recipient = V3SecretKey::Generate();
  auto ephemeral = V3SecretKey::Generate();
  ASSERT_TRUE(recipient && ephemeral);
  const V3LocalKey key = V3LocalKey::Generate();
  const std::string scalar = Bytes(ephemeral->secret());
  auto first = internal::SealWithEphemeral(recipient->public_key(), key, scalar);
  auto second = internal::SealWithEphemeral(recipient->public_key(), key, scalar);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(DataOf(*first, "k3.seal.").substr(48, 49), ephemeral->public_key().bytes());
  EXPECT_EQ(paserk::Unseal(*recipient, *first)->secret(), key.secret());
  EXPECT_EQ(internal::SealWithEphemeral(recipient->public_key(), key, std::string(48, '\0')).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(PaserkUnseal, SealedToAnotherRecipientIsBadSignature) {
  auto sealed = paserk::Seal(V4SecretKey::Generate().public_key(), V4LocalKey::Generate());
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(paserk::Unseal(V4SecretKey::Generate(), *sealed).error().code, ErrorCode::kBadSignature);
  auto recipient3 = V3SecretKey::Generate();
  auto other3 = V3SecretKey::Generate();
  ASSERT_TRUE(recipient3 && other3);
  auto sealed3 = paserk::Seal(recipient3->public_key(), V3LocalKey::Generate());
  ASSERT_TRUE(sealed3.has_value());
  EXPECT_EQ(paserk::Unseal(*other3, *sealed3).error().code, ErrorCode::kBadSignature);
}

TEST(PaserkUnseal, AlteredEphemeralKeyOrCiphertextIsBadSignature) {
  const V4SecretKey recipient = V4SecretKey::Generate();
  auto sealed = paserk::Seal(recipient.public_key(), V4LocalKey::Generate());
  ASSERT_TRUE(sealed.has_value());
  const std::size_t data = std::string_view("k4.seal.").size();
  // Characters inside the tag (bytes 0-31), epk (32-63) and edk (64-95).
  for (std::size_t offset : {std::size_t{2}, std::size_t{50}, std::size_t{100}}) {
    SCOPED_TRACE(offset);
    auto unsealed = paserk::Unseal(recipient, WithCharFlipped(*sealed, data + offset));
    ASSERT_FALSE(unsealed.has_value());
    EXPECT_EQ(unsealed.error().code, ErrorCode::kBadSignature);
  }
}

TEST(PaserkUnseal, V4SmallOrderEphemeralKeyIsMalformed) {
  // An all-zero X25519 point gives an all-zero shared secret whatever the recipient's key.
  std::string data = DataOf(*paserk::Seal(V4SecretKey::Generate().public_key(), V4LocalKey::Generate()), "k4.seal.");
  data.replace(32, 32, std::string(32, '\0'));
  EXPECT_EQ(paserk::Unseal(V4SecretKey::Generate(), "k4.seal." + internal::Base64UrlEncode(data)).error().code,
            ErrorCode::kMalformed);
}

TEST(PaserkUnseal, V3EphemeralKeyOffTheCurveIsMalformed) {
  auto recipient = V3SecretKey::Generate();
  ASSERT_TRUE(recipient.has_value());
  std::string data = DataOf(*paserk::Seal(recipient->public_key(), V3LocalKey::Generate()), "k3.seal.");
  // x = 1 is not the x-coordinate of any P-384 point (see paserk_serialize_test.cc).
  std::string not_on_curve(49, '\0');
  not_on_curve[0] = '\x02';
  not_on_curve[48] = '\x01';
  data.replace(48, 49, not_on_curve);
  EXPECT_EQ(paserk::Unseal(*recipient, "k3.seal." + internal::Base64UrlEncode(data)).error().code,
            ErrorCode::kMalformed);
}

TEST(PaserkUnseal, WrongLengthIsMalformed) {
  const V4SecretKey recipient = V4SecretKey::Generate();
  auto sealed = paserk::Seal(recipient.public_key(), V4LocalKey::Generate());
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(paserk::Unseal(recipient, sealed->substr(0, sealed->size() - 4)).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::Unseal(recipient, "k4.seal.").error().code, ErrorCode::kMalformed);
}

TEST(PaserkSeal, V4FreshEphemeralKeyEachCall) {
  const V4SecretKey recipient = V4SecretKey::Generate();
  const V4LocalKey key = V4LocalKey::Generate();
  auto first = paserk::Seal(recipient.public_key(), key);
  auto second = paserk::Seal(recipient.public_key(), key);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(PaserkSeal, V4RecipientWithoutX25519EquivalentIsInvalidKey) {
  // A small-order Ed25519 point (the identity, y = 1) has no usable Montgomery form.
  std::string identity(32, '\0');
  identity[0] = '\x01';
  auto recipient = V4PublicKey::FromBytes(AsBytes(identity));
  ASSERT_TRUE(recipient.has_value());
  EXPECT_EQ(paserk::Seal(*recipient, V4LocalKey::Generate()).error().code, ErrorCode::kInvalidKey);
}

}  // namespace
}  // namespace writ
