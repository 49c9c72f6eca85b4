#include "writ/secret_bytes.h"

#include <gtest/gtest.h>

namespace writ {
namespace {

TEST(SecretBytes, CopiesAreEqualAndIndependent) {
  SecretBytes a = SecretBytes::FromString("correct horse battery staple");
  SecretBytes b = a;
  EXPECT_TRUE(a == b);
  EXPECT_NE(a.expose_secret().data(), b.expose_secret().data());
}

TEST(SecretBytes, DifferentContentsAreNotEqual) {
  EXPECT_FALSE(SecretBytes::FromString("abc") == SecretBytes::FromString("abd"));
  EXPECT_FALSE(SecretBytes::FromString("abc") == SecretBytes::FromString("abcd"));
}

TEST(SecretBytes, RandomHasTheAskedSizeAndDiffers) {
  SecretBytes a = SecretBytes::Random(32);
  SecretBytes b = SecretBytes::Random(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_FALSE(a == b);
}

TEST(SecretBytes, MoveLeavesTheSourceEmpty) {
  SecretBytes a = SecretBytes::FromString("secret");
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.size(), 6u);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
}

TEST(SecretBytes, EmptyValuesAreEqual) {
  EXPECT_TRUE(SecretBytes() == SecretBytes::FromString(""));
}

}  // namespace
}  // namespace writ
