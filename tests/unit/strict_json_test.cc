// Tests of the strict JSON rules for headers, claims and JWKs (RFC 8259, RFC 7515 §4,
// RFC 7519 §7.2): one object, unique names after unescaping, valid UTF-8, caps.
#include "core/strict_json.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "attack_test_util.h"

namespace writ::internal {
namespace {

using attack_test::FailsWith;
using attack_test::Succeeds;

const JsonLimits kDefaultLimits{};

Result<simdjson::dom::object> Parse(std::string_view json, JsonLimits limits = kDefaultLimits) {
  return ParseStrictObject(json, limits);
}

// An object whose containers nest `depth` levels deep, the top-level object counting as
// one: 1 → {}, 2 → {"a":[]}, 3 → {"a":[[]]}.
std::string NestedObject(std::size_t depth) {
  if (depth <= 1) {
    return "{}";
  }
  return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

TEST(StrictJson, SimpleObjectParsesAndExposesMembers) {
  Result<simdjson::dom::object> object = Parse(R"({"a":1,"b":"x","c":[true,null],"d":{"e":2.5}})");
  ASSERT_TRUE(Succeeds(object));
  int64_t a = 0;
  ASSERT_EQ(object->at_key("a").get_int64().get(a), simdjson::SUCCESS);
  EXPECT_EQ(a, 1);
  std::string_view b;
  ASSERT_EQ(object->at_key("b").get_string().get(b), simdjson::SUCCESS);
  EXPECT_EQ(b, "x");
}

TEST(StrictJson, WhitespaceAroundTokensIsAccepted) {
  EXPECT_TRUE(Succeeds(Parse(" \t\r\n{ \"a\" : 1 , \"b\" : [ 1 , 2 ] }\n ")));
}

TEST(StrictJson, EmptyObjectIsAccepted) { EXPECT_TRUE(Succeeds(Parse("{}"))); }

TEST(StrictJson, PaddedInputIsParsedInPlace) {
  std::string padded = PaddedCopy(R"({"a":"b"})");
  EXPECT_EQ(padded, R"({"a":"b"})");
  EXPECT_GE(padded.capacity(), padded.size() + kJsonPadding);
  EXPECT_TRUE(Succeeds(ParseStrictObject(padded, kDefaultLimits, /*padded=*/true)));
}

TEST(StrictJson, ParseIntoDocumentOwnsResult) {
  simdjson::dom::document document;
  std::string json = PaddedCopy(R"({"sub":"alice"})");
  Result<simdjson::dom::object> object =
      ParseStrictObjectInto(document, json, kDefaultLimits, /*padded=*/true);
  ASSERT_TRUE(Succeeds(object));
  // Another parse on this thread must not disturb the document-owned result.
  ASSERT_TRUE(Succeeds(Parse(R"({"other":1})")));
  std::string_view sub;
  ASSERT_EQ(object->at_key("sub").get_string().get(sub), simdjson::SUCCESS);
  EXPECT_EQ(sub, "alice");
}

TEST(StrictJson, DuplicateNameIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":1,"a":2})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":1,"b":2,"a":3})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":1,"a":1})"), ErrorCode::kMalformed));
}

TEST(StrictJson, DuplicateNameSpelledWithEscapeIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":1,"\u0061":2})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"\u0061":1,"a":2})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"alg":"HS256","\u0061lg":"none"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a/":1,"a\/":2})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse("{\"\xc3\xa9\":1,\"\\u00e9\":2}"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"\u00E9":1,"\u00e9":2})"), ErrorCode::kMalformed));
}

TEST(StrictJson, DuplicateNameInNestedObjectIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":{"b":1,"b":2}})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":[{"b":1},{"c":1,"c":2}]})"), ErrorCode::kMalformed));
}

TEST(StrictJson, SameNameInDifferentObjectsIsAccepted) {
  EXPECT_TRUE(Succeeds(Parse(R"({"a":{"x":1},"b":{"x":1},"x":[{"x":1},{"x":2}]})")));
}

TEST(StrictJson, NamesDifferingOnlyInCaseAreDistinct) {
  EXPECT_TRUE(Succeeds(Parse(R"({"alg":1,"ALG":2,"Alg":3})")));
}

TEST(StrictJson, TopLevelNonObjectIsMalformed) {
  for (const char* json : {"[]", "[{}]", "\"x\"", "1", "true", "null", "", " ", "{"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, TrailingBytesAreMalformed) {
  for (const char* json : {"{}{}", "{} x", "{}]", "{},", "{}\"", "{} 1"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
  EXPECT_TRUE(FailsWith(Parse(std::string_view("{}\0", 3)), ErrorCode::kMalformed));
}

TEST(StrictJson, TrailingCommaIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":1,})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":[1,2,]})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({,"a":1})"), ErrorCode::kMalformed));
}

TEST(StrictJson, InvalidUtf8IsMalformed) {
  for (const char* json : {
           "{\"a\":\"\xff\"}",              // never valid in UTF-8
           "{\"a\":\"\xc3\x28\"}",          // bad continuation
           "{\"a\":\"\xe2\x82\"}",          // truncated sequence
           "{\"\x80\":1}",                  // lone continuation byte in a name
           "{\"a\":\"\xf4\x90\x80\x80\"}",  // above U+10FFFF
           "{\"a\":\"\xed\xa0\x80\"}",      // UTF-8 encoded surrogate U+D800
       }) {
    SCOPED_TRACE(testing::PrintToString(std::string(json)));
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, OverlongUtf8IsMalformed) {
  for (const char* json : {
           "{\"a\":\"\xc0\xaf\"}",          // '/' in two bytes
           "{\"a\":\"\xc1\xbf\"}",          // U+007F in two bytes
           "{\"a\":\"\xe0\x80\xaf\"}",      // '/' in three bytes
           "{\"a\":\"\xf0\x80\x80\xaf\"}",  // '/' in four bytes
           "{\"\xc0\xa2\":1}",              // '"' overlong, in a name
       }) {
    SCOPED_TRACE(testing::PrintToString(std::string(json)));
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, ValidMultibyteUtf8IsAccepted) {
  EXPECT_TRUE(Succeeds(Parse("{\"n\\u00e9\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}")));
  EXPECT_TRUE(Succeeds(Parse(R"({"a":"\ud83d\ude00"})")));  // escaped surrogate pair
}

TEST(StrictJson, LoneHighSurrogateIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"\ud800"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"\ud800x"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"\udbff\u0041"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"\ud800":1})"), ErrorCode::kMalformed));
}

TEST(StrictJson, LoneLowSurrogateIsMalformed) {
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"\udc00"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"x\udfff"})"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":"\ude00\ud83d"})"), ErrorCode::kMalformed));
}

TEST(StrictJson, DepthExactlyAtCapIsAccepted) {
  JsonLimits limits;
  limits.max_depth = 16;
  EXPECT_TRUE(Succeeds(Parse(NestedObject(16), limits)));
  limits.max_depth = 3;
  EXPECT_TRUE(Succeeds(Parse(NestedObject(3), limits)));
  EXPECT_TRUE(Succeeds(Parse(R"({"a":{"b":{}}})", limits)));
}

TEST(StrictJson, DepthOneOverCapIsTooLarge) {
  JsonLimits limits;
  limits.max_depth = 16;
  EXPECT_TRUE(FailsWith(Parse(NestedObject(17), limits), ErrorCode::kTooLarge));
  limits.max_depth = 3;
  EXPECT_TRUE(FailsWith(Parse(NestedObject(4), limits), ErrorCode::kTooLarge));
  EXPECT_TRUE(FailsWith(Parse(R"({"a":{"b":{"c":{}}}})", limits), ErrorCode::kTooLarge));
}

TEST(StrictJson, VeryDeepNestingIsTooLarge) {
  std::string deep = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_TRUE(FailsWith(Parse(deep), ErrorCode::kTooLarge));
  // Unbalanced: also refused, and not by a crash.
  std::string unbalanced = "{\"a\":" + std::string(10000, '[');
  Result<simdjson::dom::object> result = Parse(unbalanced);
  EXPECT_FALSE(result.has_value());
}

TEST(StrictJson, SizeExactlyAtCapIsAccepted) {
  JsonLimits limits;
  limits.max_bytes = 32;
  std::string json = R"({"a":")" + std::string(32 - 8, 'x') + R"("})";
  ASSERT_EQ(json.size(), 32u);
  EXPECT_TRUE(Succeeds(Parse(json, limits)));
}

TEST(StrictJson, SizeOneOverCapIsTooLarge) {
  JsonLimits limits;
  limits.max_bytes = 32;
  std::string json = R"({"a":")" + std::string(33 - 8, 'x') + R"("})";
  ASSERT_EQ(json.size(), 33u);
  EXPECT_TRUE(FailsWith(Parse(json, limits), ErrorCode::kTooLarge));
}

TEST(StrictJson, NumberWithLeadingZeroIsMalformed) {
  for (const char* json : {R"({"a":01})", R"({"a":-01})", R"({"a":00})", R"({"a":[007]})"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
  EXPECT_TRUE(Succeeds(Parse(R"({"a":0,"b":-0,"c":0.5,"d":1e3,"e":-1.5E-2})")));
}

TEST(StrictJson, OtherInvalidNumbersAreMalformed) {
  for (const char* json : {R"({"a":+1})", R"({"a":.5})", R"({"a":1.})", R"({"a":1e})",
                           R"({"a":0x10})", R"({"a":-})"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, NanAndInfinityLiteralsAreMalformed) {
  for (const char* json : {R"({"a":NaN})", R"({"a":Infinity})", R"({"a":-Infinity})",
                           R"({"a":nan})", R"({"a":inf})"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, CommentsAreMalformed) {
  for (const char* json :
       {"{\"a\":1 // c\n}", "{/* c */\"a\":1}", "{\"a\":1}# c", "{\"a\":1 /* c */}"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, OtherLenientSyntaxIsMalformed) {
  for (const char* json : {"{'a':1}", "{a:1}", "{\"a\":'x'}", "{\"a\":True}", "{\"a\":undefined}",
                           "{\"a\":\"tab\there\"}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u00g0\"}"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(FailsWith(Parse(json), ErrorCode::kMalformed));
  }
}

TEST(StrictJson, CheckStrictValueAcceptsAnyWellFormedValue) {
  for (const char* json :
       {"1", "-2.5e3", "\"x\"", "true", "null", "[]", "[1,\"a\",{}]", R"({"a":[1,2]})"}) {
    SCOPED_TRACE(json);
    EXPECT_TRUE(Succeeds(CheckStrictValue(json, kDefaultLimits)));
  }
}

TEST(StrictJson, CheckStrictValueAppliesSameRules) {
  EXPECT_TRUE(FailsWith(CheckStrictValue("01", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("[1,]", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("[1] x", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("1 2", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue(R"([{"a":1,"\u0061":2}])", kDefaultLimits),
                        ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue(R"("\udc00")", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("\"\xc0\xaf\"", kDefaultLimits), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(CheckStrictValue("NaN", kDefaultLimits), ErrorCode::kMalformed));
}

TEST(StrictJson, CheckStrictValueDepthBoundary) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(Succeeds(CheckStrictValue("[[[[]]]]", limits)));
  EXPECT_TRUE(FailsWith(CheckStrictValue("[[[[[]]]]]", limits), ErrorCode::kTooLarge));
}

}  // namespace
}  // namespace writ::internal
