// PASERK k4/k3 local, public and secret: every vector of tests/vectors/paseto/k{3,4}.
// {local,public,secret}.json serialises byte for byte and parses back; expected failures
// fail; and hand-built malformed PASERKs are refused with the right ErrorCode.
#include <gtest/gtest.h>

#include <type_traits>

#include "core/base64url.h"
#include "paserk_test_util.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk_test::Bytes;
using paserk_test::LoadPaserkVectors;
using paserk_test::PaserkCase;
using vectors::AsBytes;

// Secret material comes back in secure memory; public keys as plain text.
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V4LocalKey>())), SecretBytes>);
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V4SecretKey>())), SecretBytes>);
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V3LocalKey>())), SecretBytes>);
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V3SecretKey>())), SecretBytes>);
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V4PublicKey>())), std::string>);
static_assert(std::is_same_v<decltype(paserk::ToPaserk(std::declval<V3PublicKey>())), std::string>);

// Serialises `key` and checks the PASERK against the vector, then parses it back.
template <typename Key, typename Parse>
void ExpectRoundTrip(const Key& key, const PaserkCase& c, Parse parse) {
  const auto serialized = paserk::ToPaserk(key);
  if constexpr (std::is_same_v<std::decay_t<decltype(serialized)>, SecretBytes>) {
    EXPECT_EQ(Bytes(serialized), c.Text("paserk"));
  } else {
    EXPECT_EQ(serialized, c.Text("paserk"));
  }
  auto parsed = parse(c.Text("paserk"));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(paserk::ToPaserk(*parsed), serialized);
}

TEST(PaserkK4LocalVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k4.local.json");
  ASSERT_EQ(vectors.cases.size(), 5u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    if (c.expect_fail) {
      EXPECT_FALSE(paserk::ParseV4Local(c.Text("paserk")).has_value());
    } else {
      auto key = V4LocalKey::FromBytes(AsBytes(c.Hex("key")));
      ASSERT_TRUE(key.has_value());
      ExpectRoundTrip(*key, c, paserk::ParseV4Local);
      EXPECT_EQ(Bytes(paserk::ParseV4Local(c.Text("paserk"))->secret()), c.Hex("key"));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(PaserkK3LocalVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k3.local.json");
  ASSERT_EQ(vectors.cases.size(), 5u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    if (c.expect_fail) {
      EXPECT_FALSE(paserk::ParseV3Local(c.Text("paserk")).has_value());
    } else {
      auto key = V3LocalKey::FromBytes(AsBytes(c.Hex("key")));
      ASSERT_TRUE(key.has_value());
      ExpectRoundTrip(*key, c, paserk::ParseV3Local);
      EXPECT_EQ(Bytes(paserk::ParseV3Local(c.Text("paserk"))->secret()), c.Hex("key"));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(PaserkK4PublicVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k4.public.json");
  ASSERT_EQ(vectors.cases.size(), 4u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto key = V4PublicKey::FromBytes(AsBytes(c.Hex("key")));
    if (c.expect_fail) {
      // k4.public-fail-1 is a 49-byte (k3-sized) key: no V4PublicKey, so nothing to serialise.
      EXPECT_FALSE(key.has_value());
    } else {
      ASSERT_TRUE(key.has_value());
      ExpectRoundTrip(*key, c, paserk::ParseV4Public);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(PaserkK3PublicVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k3.public.json");
  ASSERT_EQ(vectors.cases.size(), 3u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto key = V3PublicKey::FromBytes(AsBytes(c.Hex("key")));
    if (c.expect_fail) {
      EXPECT_FALSE(key.has_value());  // a 32-byte (k4-sized) key
    } else {
      ASSERT_TRUE(key.has_value()) << key.error().detail;
      ExpectRoundTrip(*key, c, paserk::ParseV3Public);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(PaserkK4SecretVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k4.secret.json");
  ASSERT_EQ(vectors.cases.size(), 5u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto key = V4SecretKey::FromBytes(AsBytes(c.Hex("key")));
    if (c.expect_fail) {
      EXPECT_FALSE(key.has_value());  // 31 bytes, and a 48-byte k3 scalar
    } else {
      ASSERT_TRUE(key.has_value());
      EXPECT_EQ(key->public_key().bytes(), c.Hex("public-key"));
      ExpectRoundTrip(*key, c, paserk::ParseV4Secret);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(PaserkK3SecretVectors, EveryVectorBehavesAsSpecified) {
  const auto vectors = LoadPaserkVectors("k3.secret.json");
  ASSERT_EQ(vectors.cases.size(), 5u);
  int checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    auto key = V3SecretKey::FromBytes(AsBytes(c.Hex("key")));
    if (c.expect_fail) {
      EXPECT_FALSE(key.has_value());  // 32 bytes, and a 64-byte k4 key
    } else {
      ASSERT_TRUE(key.has_value());
      // The vector's public key is PEM (hex-encoded): the scalar must belong to it.
      EXPECT_EQ(key->public_key().bytes(), paserk_test::P384CompressedFromPem(c.Hex("public-key")));
      ExpectRoundTrip(*key, c, paserk::ParseV3Secret);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

// --- Strictness, as attacks.

const std::string kLocalData = "cHFyc3R1dnd4eXp7fH1-f4CBgoOEhYaHiImKi4yNjo8";  // 32 bytes

TEST(PaserkParse, OtherVersionIsMalformed) {
  EXPECT_EQ(paserk::ParseV4Local("k3.local." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV3Local("k4.local." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local("k2.local." + kLocalData).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, OtherTypeIsMalformed) {
  EXPECT_EQ(paserk::ParseV4Public("k4.local." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local("k4.public." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local("k4.lid." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local("k4.local-wrap." + kLocalData).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, PrefixIsCaseSensitive) {
  EXPECT_EQ(paserk::ParseV4Local("K4.local." + kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local("k4.LOCAL." + kLocalData).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, MissingPrefixOrEmptyIsMalformed) {
  EXPECT_EQ(paserk::ParseV4Local("").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local(kLocalData).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paserk::ParseV4Local(" k4.local." + kLocalData).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, PaddedBase64IsMalformed) {
  EXPECT_EQ(paserk::ParseV4Local("k4.local." + kLocalData + "=").error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, NonCanonicalTrailingBitsAreMalformed) {
  // 'o8' -> 'o9': same length, same decoded bytes if the unused low bits were ignored.
  std::string data = kLocalData;
  data.back() = '9';
  EXPECT_EQ(paserk::ParseV4Local("k4.local." + data).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, StandardBase64AlphabetIsMalformed) {
  std::string data = kLocalData;
  data[19] = '+';  // where the URL alphabet has '-'
  EXPECT_EQ(paserk::ParseV4Local("k4.local." + data).error().code, ErrorCode::kMalformed);
}

TEST(PaserkParse, TrailingWhitespaceIsRefused) {
  EXPECT_FALSE(paserk::ParseV4Local("k4.local." + kLocalData + "\n").has_value());
  EXPECT_FALSE(paserk::ParseV4Local("k4.local." + kLocalData + " ").has_value());
}

TEST(PaserkParse, ShortOrLongKeyIsInvalidKey) {
  const std::string short_key(31, 'x');
  const std::string long_key(33, 'x');
  EXPECT_EQ(paserk::ParseV4Local("k4.local." + internal::Base64UrlEncode(short_key)).error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(paserk::ParseV4Local("k4.local." + internal::Base64UrlEncode(long_key)).error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(paserk::ParseV4Public("k4.public." + internal::Base64UrlEncode(long_key)).error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(paserk::ParseV3Secret("k3.secret." + internal::Base64UrlEncode(long_key)).error().code,
            ErrorCode::kInvalidKey);
}

TEST(PaserkParse, V4SecretWithForeignPublicHalfIsInvalidKey) {
  const V4SecretKey key = V4SecretKey::Generate();
  const V4SecretKey other = V4SecretKey::Generate();
  std::string mixed = Bytes(key.secret()).substr(0, 32) + other.public_key().bytes();
  EXPECT_EQ(paserk::ParseV4Secret("k4.secret." + internal::Base64UrlEncode(mixed)).error().code,
            ErrorCode::kInvalidKey);
}

TEST(PaserkParse, V3PublicOffTheCurveIsInvalidKey) {
  // x = 1 has no y on P-384 (1 - 3 + b is a non-residue mod p); 0x04 is the uncompressed tag.
  std::string not_on_curve(49, '\0');
  not_on_curve[0] = '\x02';
  not_on_curve[48] = '\x01';
  EXPECT_EQ(paserk::ParseV3Public("k3.public." + internal::Base64UrlEncode(not_on_curve)).error().code,
            ErrorCode::kInvalidKey);
  std::string wrong_tag(49, '\x01');
  wrong_tag[0] = '\x04';
  EXPECT_EQ(paserk::ParseV3Public("k3.public." + internal::Base64UrlEncode(wrong_tag)).error().code,
            ErrorCode::kInvalidKey);
}

TEST(PaserkParse, V3SecretOutOfRangeIsInvalidKey) {
  const std::string zero(48, '\0');
  const std::string all_ones(48, '\xff');  // above the group order n
  EXPECT_EQ(paserk::ParseV3Secret("k3.secret." + internal::Base64UrlEncode(zero)).error().code,
            ErrorCode::kInvalidKey);
  EXPECT_EQ(paserk::ParseV3Secret("k3.secret." + internal::Base64UrlEncode(all_ones)).error().code,
            ErrorCode::kInvalidKey);
}

TEST(PaserkParse, GeneratedKeysRoundTrip) {
  const V4LocalKey v4_local = V4LocalKey::Generate();
  const V4SecretKey v4_secret = V4SecretKey::Generate();
  const V3LocalKey v3_local = V3LocalKey::Generate();
  auto v3_secret = V3SecretKey::Generate();
  ASSERT_TRUE(v3_secret.has_value());
  EXPECT_EQ(paserk::ParseV4Local(Bytes(paserk::ToPaserk(v4_local)))->secret(), v4_local.secret());
  EXPECT_EQ(paserk::ParseV4Secret(Bytes(paserk::ToPaserk(v4_secret)))->secret(), v4_secret.secret());
  EXPECT_EQ(paserk::ParseV4Public(paserk::ToPaserk(v4_secret.public_key()))->bytes(), v4_secret.public_key().bytes());
  EXPECT_EQ(paserk::ParseV3Local(Bytes(paserk::ToPaserk(v3_local)))->secret(), v3_local.secret());
  EXPECT_EQ(paserk::ParseV3Secret(Bytes(paserk::ToPaserk(*v3_secret)))->secret(), v3_secret->secret());
  EXPECT_EQ(paserk::ParseV3Public(paserk::ToPaserk(v3_secret->public_key()))->bytes(),
            v3_secret->public_key().bytes());
}

}  // namespace
}  // namespace writ
