// PASERK local-wrap.pie and secret-wrap.pie, k4 and k3: every vector of
// tests/vectors/paseto/k{3,4}.{local,secret}-wrap.pie.json unwraps to the vector's key and,
// with the nonce the vector was made with (read from its data), wraps back byte for byte;
// expected failures fail with the right ErrorCode; and tampering is refused.
#include <gtest/gtest.h>

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

// A key can only be wrapped by a local key of its own version.
template <typename Wrapping, typename Key>
constexpr bool kCanWrap = requires(const Wrapping& w, const Key& k) { paserk::Wrap(w, k); };
static_assert(kCanWrap<V4LocalKey, V4LocalKey> && kCanWrap<V4LocalKey, V4SecretKey>);
static_assert(kCanWrap<V3LocalKey, V3LocalKey> && kCanWrap<V3LocalKey, V3SecretKey>);
static_assert(!kCanWrap<V4LocalKey, V3LocalKey> && !kCanWrap<V3LocalKey, V4LocalKey>);
static_assert(!kCanWrap<V4LocalKey, V4PublicKey> && !kCanWrap<V4SecretKey, V4LocalKey>);
static_assert(!kCanWrap<V3LocalKey, V4SecretKey> && !kCanWrap<V4PublicKey, V4LocalKey>);

// The parts of one wrap vector file that differ between versions and types.
template <typename Wrapping, typename Key>
struct PieFile {
  const char* file;
  std::string_view prefix;
  std::size_t tag_size;
  Result<Key> (*unwrap)(const Wrapping&, std::string_view);
  SecretBytes (*bytes_of)(const Key&);
};

template <typename Wrapping, typename Key>
void CheckPieFile(const PieFile<Wrapping, Key>& spec) {
  const auto vectors = LoadPaserkVectors(spec.file);
  ASSERT_EQ(vectors.cases.size(), 4u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto wrapping_key = Wrapping::FromBytes(AsBytes(c.Hex("wrapping-key")));
    ASSERT_TRUE(wrapping_key.has_value());
    auto unwrapped = spec.unwrap(*wrapping_key, c.Text("paserk"));
    if (c.expect_fail) {
      ASSERT_FALSE(unwrapped.has_value());
      // fail-1: an altered tag; fail-2: the other version's PASERK.
      EXPECT_EQ(unwrapped.error().code, paserk_test::ExpectedFailure(c.Text("paserk"), spec.prefix));
      if (c.Text("paserk").starts_with(spec.prefix)) {
        auto canonical = spec.unwrap(*wrapping_key, paserk_test::Canonical(c.Text("paserk"), spec.prefix));
        ASSERT_FALSE(canonical.has_value());
        EXPECT_EQ(canonical.error().code, ErrorCode::kBadSignature);
      }
    } else {
      ASSERT_TRUE(unwrapped.has_value()) << unwrapped.error().detail;
      EXPECT_EQ(Bytes(spec.bytes_of(*unwrapped)), c.Hex("unwrapped"));
      const std::string nonce = DataOf(c.Text("paserk"), spec.prefix).substr(spec.tag_size, internal::kPieNonceSize);
      auto rewrapped = internal::WrapWithNonce(*wrapping_key, *unwrapped, nonce);
      ASSERT_TRUE(rewrapped.has_value());
      EXPECT_EQ(*rewrapped, c.Text("paserk"));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

SecretBytes LocalBytes4(const V4LocalKey& key) { return key.secret(); }
SecretBytes SecretBytes4(const V4SecretKey& key) { return key.secret(); }
SecretBytes LocalBytes3(const V3LocalKey& key) { return key.secret(); }
SecretBytes SecretBytes3(const V3SecretKey& key) { return key.secret(); }

TEST(PaserkK4LocalWrapVectors, EveryVectorBehavesAsSpecified) {
  CheckPieFile<V4LocalKey, V4LocalKey>(
      {"k4.local-wrap.pie.json", "k4.local-wrap.pie.", 32, paserk::UnwrapLocal, LocalBytes4});
}

TEST(PaserkK4SecretWrapVectors, EveryVectorBehavesAsSpecified) {
  CheckPieFile<V4LocalKey, V4SecretKey>(
      {"k4.secret-wrap.pie.json", "k4.secret-wrap.pie.", 32, paserk::UnwrapSecret, SecretBytes4});
}

TEST(PaserkK3LocalWrapVectors, EveryVectorBehavesAsSpecified) {
  CheckPieFile<V3LocalKey, V3LocalKey>(
      {"k3.local-wrap.pie.json", "k3.local-wrap.pie.", 48, paserk::UnwrapLocal, LocalBytes3});
}

TEST(PaserkK3SecretWrapVectors, EveryVectorBehavesAsSpecified) {
  CheckPieFile<V3LocalKey, V3SecretKey>(
      {"k3.secret-wrap.pie.json", "k3.secret-wrap.pie.", 48, paserk::UnwrapSecret, SecretBytes3});
}

TEST(PaserkWrap, V4RoundTripsWithFreshNonces) {
  const V4LocalKey wrapping_key = V4LocalKey::Generate();
  const V4LocalKey key = V4LocalKey::Generate();
  const V4SecretKey secret = V4SecretKey::Generate();
  auto first = paserk::Wrap(wrapping_key, key);
  auto second = paserk::Wrap(wrapping_key, key);
  auto wrapped_secret = paserk::Wrap(wrapping_key, secret);
  ASSERT_TRUE(first && second && wrapped_secret);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(first->starts_with("k4.local-wrap.pie."));
  EXPECT_TRUE(wrapped_secret->starts_with("k4.secret-wrap.pie."));
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, *first)->secret(), key.secret());
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, *second)->secret(), key.secret());
  EXPECT_EQ(paserk::UnwrapSecret(wrapping_key, *wrapped_secret)->secret(), secret.secret());
}

TEST(PaserkWrap, V3RoundTripsWithFreshNonces) {
  const V3LocalKey wrapping_key = V3LocalKey::Generate();
  const V3LocalKey key = V3LocalKey::Generate();
  auto secret = V3SecretKey::Generate();
  ASSERT_TRUE(secret.has_value());
  auto first = paserk::Wrap(wrapping_key, key);
  auto second = paserk::Wrap(wrapping_key, key);
  auto wrapped_secret = paserk::Wrap(wrapping_key, *secret);
  ASSERT_TRUE(first && second && wrapped_secret);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(wrapped_secret->starts_with("k3.secret-wrap.pie."));
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, *first)->secret(), key.secret());
  EXPECT_EQ(paserk::UnwrapSecret(wrapping_key, *wrapped_secret)->secret(), secret->secret());
}

TEST(PaserkUnwrap, WrongWrappingKeyIsBadSignature) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto wrapped = paserk::Wrap(V4LocalKey::Generate(), key);
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(paserk::UnwrapLocal(V4LocalKey::Generate(), *wrapped).error().code, ErrorCode::kBadSignature);
  const V3LocalKey key3 = V3LocalKey::Generate();
  auto wrapped3 = paserk::Wrap(V3LocalKey::Generate(), key3);
  ASSERT_TRUE(wrapped3.has_value());
  EXPECT_EQ(paserk::UnwrapLocal(V3LocalKey::Generate(), *wrapped3).error().code, ErrorCode::kBadSignature);
}

TEST(PaserkUnwrap, AlteredTagNonceOrCiphertextIsBadSignature) {
  const V4LocalKey wrapping_key = V4LocalKey::Generate();
  auto wrapped = paserk::Wrap(wrapping_key, V4LocalKey::Generate());
  ASSERT_TRUE(wrapped.has_value());
  const std::size_t data = std::string_view("k4.local-wrap.pie.").size();
  // Characters inside the tag (0-31), the nonce (32-63) and the ciphertext (64-95).
  for (std::size_t offset : {std::size_t{2}, std::size_t{50}, std::size_t{100}}) {
    SCOPED_TRACE(offset);
    EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, WithCharFlipped(*wrapped, data + offset)).error().code,
              ErrorCode::kBadSignature);
  }
}

TEST(PaserkUnwrap, LocalWrapGivenAsSecretWrapIsMalformed) {
  const V4LocalKey wrapping_key = V4LocalKey::Generate();
  auto wrapped = paserk::Wrap(wrapping_key, V4LocalKey::Generate());
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(paserk::UnwrapSecret(wrapping_key, *wrapped).error().code, ErrorCode::kMalformed);
  // Relabelled as secret-wrap, the header (authenticated) no longer matches the tag.
  std::string relabelled = "k4.secret-wrap.pie." + wrapped->substr(std::string_view("k4.local-wrap.pie.").size());
  EXPECT_FALSE(paserk::UnwrapSecret(wrapping_key, relabelled).has_value());
}

TEST(PaserkUnwrap, TruncatedOrExtendedDataIsMalformed) {
  const V4LocalKey wrapping_key = V4LocalKey::Generate();
  auto wrapped = paserk::Wrap(wrapping_key, V4LocalKey::Generate());
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, wrapped->substr(0, wrapped->size() - 4)).error().code,
            ErrorCode::kMalformed);
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, *wrapped + "AAAA").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, "k4.local-wrap.pie.").error().code, ErrorCode::kMalformed);
}

TEST(PaserkUnwrap, UnknownWrapProtocolIsMalformed) {
  const V4LocalKey wrapping_key = V4LocalKey::Generate();
  auto wrapped = paserk::Wrap(wrapping_key, V4LocalKey::Generate());
  ASSERT_TRUE(wrapped.has_value());
  std::string other = *wrapped;
  other.replace(std::string_view("k4.local-wrap.").size(), 3, "xyz");
  EXPECT_EQ(paserk::UnwrapLocal(wrapping_key, other).error().code, ErrorCode::kMalformed);
}

TEST(PaserkWrapWithNonce, WrongNonceSizeIsInvalidArgument) {
  const V4LocalKey key = V4LocalKey::Generate();
  EXPECT_EQ(internal::WrapWithNonce(key, key, std::string(31, 'n')).error().code, ErrorCode::kInvalidArgument);
  const V3LocalKey key3 = V3LocalKey::Generate();
  EXPECT_EQ(internal::WrapWithNonce(key3, key3, std::string(33, 'n')).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace writ
