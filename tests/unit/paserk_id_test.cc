// PASERK IDs: every vector of tests/vectors/paseto/k{3,4}.{lid,pid,sid}.json gives the
// vector's ID byte for byte; the expected failures are keys that cannot even be built
// (wrong length for the version), so no ID can be asked of them.
#include <gtest/gtest.h>

#include "paserk_test_util.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk_test::LoadPaserkVectors;
using paserk_test::PaserkCase;
using vectors::AsBytes;

// Runs `check` on every case of `file`, asserting the file has `count` cases.
template <typename Check>
void ForEveryCase(std::string_view file, std::size_t count, Check check) {
  const auto vectors = LoadPaserkVectors(file);
  ASSERT_EQ(vectors.cases.size(), count);
  std::size_t checked = 0;
  for (const PaserkCase& c : vectors.cases) {
    SCOPED_TRACE(c.name);
    check(c);
    ++checked;
  }
  EXPECT_EQ(checked, count);
}

// Checks the ID of `key` (built from the vector's "key") against the vector.
template <typename Key, typename Id>
void ExpectId(const PaserkCase& c, Id id) {
  auto key = Key::FromBytes(AsBytes(c.Hex("key")));
  if (c.expect_fail) {
    EXPECT_FALSE(key.has_value());
    return;
  }
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(id(*key), c.Text("paserk"));
}

TEST(PaserkK4LidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k4.lid.json", 4, [](const PaserkCase& c) {
    ExpectId<V4LocalKey>(c, [](const V4LocalKey& key) { return paserk::Lid(key); });
  });
}

TEST(PaserkK3LidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k3.lid.json", 4, [](const PaserkCase& c) {
    ExpectId<V3LocalKey>(c, [](const V3LocalKey& key) { return paserk::Lid(key); });
  });
}

TEST(PaserkK4PidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k4.pid.json", 5, [](const PaserkCase& c) {
    ExpectId<V4PublicKey>(c, [](const V4PublicKey& key) { return paserk::Pid(key); });
  });
}

TEST(PaserkK3PidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k3.pid.json", 4, [](const PaserkCase& c) {
    ExpectId<V3PublicKey>(c, [](const V3PublicKey& key) { return paserk::Pid(key); });
  });
}

TEST(PaserkK4SidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k4.sid.json", 4, [](const PaserkCase& c) {
    ExpectId<V4SecretKey>(c, [](const V4SecretKey& key) { return paserk::Sid(key); });
    if (!c.expect_fail) {
      // The vector's seed must give the same key.
      auto from_seed = V4SecretKey::FromSeed(AsBytes(c.Hex("seed")));
      ASSERT_TRUE(from_seed.has_value());
      EXPECT_EQ(paserk::Sid(*from_seed), c.Text("paserk"));
    }
  });
}

TEST(PaserkK3SidVectors, EveryVectorBehavesAsSpecified) {
  ForEveryCase("k3.sid.json", 4, [](const PaserkCase& c) {
    ExpectId<V3SecretKey>(c, [](const V3SecretKey& key) { return paserk::Sid(key); });
  });
}

TEST(PaserkId, IsPrefixAnd44Characters) {
  const V4LocalKey key = V4LocalKey::Generate();
  const std::string lid = paserk::Lid(key);
  ASSERT_TRUE(lid.starts_with("k4.lid."));
  EXPECT_EQ(lid.size(), std::string_view("k4.lid.").size() + 44);
}

TEST(PaserkId, SameBytesOfAnotherVersionOrTypeGiveAnotherId) {
  const std::string bytes(32, '\x42');
  const std::string lid4 = paserk::Lid(*V4LocalKey::FromBytes(AsBytes(bytes)));
  const std::string lid3 = paserk::Lid(*V3LocalKey::FromBytes(AsBytes(bytes)));
  const std::string pid4 = paserk::Pid(*V4PublicKey::FromBytes(AsBytes(bytes)));
  EXPECT_NE(lid4.substr(7), lid3.substr(7));
  EXPECT_NE(lid4.substr(7), pid4.substr(7));
}

TEST(PaserkId, SidAndPidOfOneKeyPairDiffer) {
  const V4SecretKey key = V4SecretKey::Generate();
  EXPECT_NE(paserk::Sid(key).substr(7), paserk::Pid(key.public_key()).substr(7));
}

TEST(PaserkId, IdsCarryNoKeyMaterial) {
  const V4SecretKey v4 = V4SecretKey::Generate();
  auto v3 = V3SecretKey::Generate();
  ASSERT_TRUE(v3.has_value());
  EXPECT_FALSE(paserk::ContainsKeyMaterial(paserk::Lid(V4LocalKey::Generate())));
  EXPECT_FALSE(paserk::ContainsKeyMaterial(paserk::Sid(v4)));
  EXPECT_FALSE(paserk::ContainsKeyMaterial(paserk::Pid(v4.public_key())));
  EXPECT_FALSE(paserk::ContainsKeyMaterial(paserk::Sid(*v3)));
  EXPECT_FALSE(paserk::ContainsKeyMaterial(paserk::Pid(v3->public_key())));
}

}  // namespace
}  // namespace writ
