// Tests of the strict base64url codec (RFC 4648 §5 as RFC 7515 §2 and Appendix C use it).
#include "core/base64url.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace writ::internal {
namespace {

// Bytes from a seeded generator, so a failure can be reproduced.
std::string PseudoRandomBytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (char& c : bytes) {
    c = static_cast<char>(byte(generator));
  }
  return bytes;
}

bool Rejects(std::string_view text) { return !Base64UrlDecode(text).has_value(); }

TEST(Base64Url, EncodesRfc4648TestVectorsWithoutPadding) {
  // RFC 4648 §10, with the padding that base64url in JWS omits.
  EXPECT_EQ(Base64UrlEncode(std::string_view("")), "");
  EXPECT_EQ(Base64UrlEncode(std::string_view("f")), "Zg");
  EXPECT_EQ(Base64UrlEncode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foob")), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode(std::string_view("fooba")), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64Url, EncodesUrlSafeAlphabet) {
  // 0xfb 0xff would be "+/8=" in standard base64.
  EXPECT_EQ(Base64UrlEncode(std::string_view("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff", 2));
}

TEST(Base64Url, DecodesRfc7515AppendixCExample) {
  // RFC 7515 Appendix C: the octets 3, 236, 255, 224, 193 encode as "A-z_4ME".
  const std::string expected("\x03\xec\xff\xe0\xc1", 5);
  EXPECT_EQ(Base64UrlEncode(expected), "A-z_4ME");
  EXPECT_EQ(Base64UrlDecode("A-z_4ME"), expected);
}

TEST(Base64Url, RoundTripsEveryLengthUpTo64) {
  for (std::size_t size = 0; size <= 64; ++size) {
    SCOPED_TRACE(size);
    std::string bytes = PseudoRandomBytes(size, static_cast<std::uint32_t>(size) + 1);
    std::string encoded = Base64UrlEncode(bytes);
    EXPECT_EQ(encoded.find_first_of("=+/"), std::string::npos);
    EXPECT_NE(encoded.size() % 4, 1u);
    EXPECT_EQ(Base64UrlDecodedSize(encoded.size()), size);
    EXPECT_EQ(Base64UrlDecode(encoded), bytes);

    std::string out = "leftover";
    ASSERT_TRUE(Base64UrlDecode(encoded, out));
    EXPECT_EQ(out, bytes);

    std::vector<std::uint8_t> buffer(Base64UrlDecodedSize(encoded.size()) + 1);
    std::optional<std::size_t> written = Base64UrlDecodeInto(encoded, buffer.data());
    ASSERT_TRUE(written.has_value());
    EXPECT_EQ(*written, size);
    EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size)),
              bytes);
  }
}

TEST(Base64Url, SpanAndStringEncodersAgree) {
  std::string bytes = PseudoRandomBytes(40, 7);
  std::vector<std::uint8_t> as_vector(bytes.begin(), bytes.end());
  EXPECT_EQ(Base64UrlEncode(std::span<const std::uint8_t>(as_vector)), Base64UrlEncode(bytes));
  std::string appended = "prefix.";
  Base64UrlEncodeAppend(bytes, appended);
  EXPECT_EQ(appended, "prefix." + Base64UrlEncode(bytes));
}

TEST(Base64Url, DecodeWithExtraCapacityKeepsContents) {
  std::string out;
  ASSERT_TRUE(Base64UrlDecode("Zm9vYmFy", out, 64));
  EXPECT_EQ(out, "foobar");
  EXPECT_GE(out.capacity(), out.size() + 64);
}

TEST(Base64Url, EmptyInputDecodesToEmpty) { EXPECT_EQ(Base64UrlDecode(""), std::string()); }

TEST(Base64Url, PaddingIsRejected) {
  EXPECT_TRUE(Rejects("Zg=="));
  EXPECT_TRUE(Rejects("Zg="));
  EXPECT_TRUE(Rejects("Zm8="));
  EXPECT_TRUE(Rejects("Zm9v="));
  EXPECT_TRUE(Rejects("="));
  EXPECT_TRUE(Rejects("===="));
  EXPECT_TRUE(Rejects("Z=g"));
}

TEST(Base64Url, StandardAlphabetPlusAndSlashAreRejected) {
  EXPECT_TRUE(Rejects("+_8"));
  EXPECT_TRUE(Rejects("-/8"));
  EXPECT_TRUE(Rejects("+/8"));
  EXPECT_TRUE(Rejects("Zm9v+mFy"));
}

TEST(Base64Url, WhitespaceAnywhereIsRejected) {
  for (const char* text : {" Zm9v", "Zm9v ", "Zm 9v", "Zm9v\n", "\nZm9v", "Zm\r\n9v", "Zm\t9v",
                           "Zm9vYmFy\n", "Zm\f9v", "Zm\v9v"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Rejects(text));
  }
}

TEST(Base64Url, LengthOneModFourIsRejected) {
  EXPECT_TRUE(Rejects("Z"));
  EXPECT_TRUE(Rejects("Zm9vY"));
  EXPECT_TRUE(Rejects("Zm9vYmFyZ"));
}

TEST(Base64Url, NonCanonicalLastCharacterIsRejected) {
  // "QQ" is the only encoding of "A"; "QR".."QZ" differ only in the unused low bits.
  EXPECT_EQ(Base64UrlDecode("QQ"), std::string("A"));
  EXPECT_TRUE(Rejects("QR"));
  EXPECT_TRUE(Rejects("QS"));
  EXPECT_TRUE(Rejects("QW"));
  EXPECT_TRUE(Rejects("Q_"));
  // "QUE" is the only encoding of "AA"; "QUF".."QUH" set unused bits.
  EXPECT_EQ(Base64UrlDecode("QUE"), std::string("AA"));
  EXPECT_TRUE(Rejects("QUF"));
  EXPECT_TRUE(Rejects("QUG"));
  EXPECT_TRUE(Rejects("QUH"));
  EXPECT_TRUE(Rejects("Zh"));
  EXPECT_TRUE(Rejects("Zm9"));
}

TEST(Base64Url, OnlyCanonicalFinalCharactersAreAccepted) {
  // A 1-byte tail leaves 4 unused bits in its last character and a 2-byte tail 2, so of
  // the 64 possible last characters exactly 64 >> unused are accepted, and each accepted
  // text is the encoding of what it decodes to.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t tail = 1; tail <= 2; ++tail) {
    SCOPED_TRACE(tail);
    std::string canonical =
        Base64UrlEncode(PseudoRandomBytes(3 + tail, static_cast<std::uint32_t>(tail)));
    std::size_t accepted = 0;
    for (char last : alphabet) {
      std::string variant = canonical;
      variant.back() = last;
      std::optional<std::string> decoded = Base64UrlDecode(variant);
      if (decoded.has_value()) {
        ++accepted;
        EXPECT_EQ(Base64UrlEncode(*decoded), variant);
      }
    }
    const std::size_t unused_bits = tail == 1 ? 4 : 2;
    EXPECT_EQ(accepted, std::size_t{64} >> unused_bits);
  }
}

TEST(Base64Url, NonAsciiBytesAreRejected) {
  EXPECT_TRUE(Rejects("Zm9\xc3\xa9"));
  EXPECT_TRUE(Rejects("\x80\x80\x80\x80"));
  EXPECT_TRUE(Rejects("Zm9v\xff"));
  EXPECT_TRUE(Rejects("Zm9\xef\xbc\xa1"));  // U+FF21 FULLWIDTH LATIN CAPITAL LETTER A
}

TEST(Base64Url, NulByteIsRejected) {
  EXPECT_TRUE(Rejects(std::string_view("Zm9v\0mFy", 8)));
  EXPECT_TRUE(Rejects(std::string_view("Zm9\0", 4)));
  EXPECT_TRUE(Rejects(std::string_view("\0", 1)));
}

TEST(Base64Url, OtherPunctuationIsRejected) {
  for (const char* text : {"Zm9.", "Zm9*", "Zm9~", "Zm9%", "Zm9\\", "Zm9,", "Zm9!"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Rejects(text));
  }
}

TEST(Base64Url, DecodeIntoRejectsWhatDecodeRejects) {
  std::vector<std::uint8_t> buffer(16);
  EXPECT_FALSE(Base64UrlDecodeInto("QR", buffer.data()).has_value());
  EXPECT_FALSE(Base64UrlDecodeInto("Zg==", buffer.data()).has_value());
  EXPECT_FALSE(Base64UrlDecodeInto("Zm9vY", buffer.data()).has_value());
  EXPECT_FALSE(Base64UrlDecodeInto("+/8", buffer.data()).has_value());
}

}  // namespace
}  // namespace writ::internal
