#include "core/json_writer.h"

#include <gtest/gtest.h>

#include "core/strict_json.h"

namespace writ::internal {
namespace {

TEST(AppendJsonString, EscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\nd\te\x1f", 10));
  EXPECT_EQ(out, R"("a\"b\\c\nd\te\u001f")");
}

TEST(AppendJsonString, OutputParsesBackToTheSameString) {
  std::string text;
  for (int c = 1; c < 128; ++c) {
    text.push_back(static_cast<char>(c));
  }
  text += "\xc3\xa9\xe2\x82\xac";  // é €
  std::string json = "{";
  AppendStringMember(json, "v", text);
  json += "}";
  auto object = ParseStrictObject(json, JsonLimits{});
  ASSERT_TRUE(object.has_value());
  std::string_view parsed;
  ASSERT_EQ((*object)["v"].get(parsed), simdjson::SUCCESS);
  EXPECT_EQ(parsed, text);
}

TEST(AppendStringMember, AddsCommasBetweenMembers) {
  std::string out = "{";
  AppendStringMember(out, "a", "1");
  AppendStringMember(out, "b", "2");
  EXPECT_EQ(out, R"({"a":"1","b":"2")");
}

}  // namespace
}  // namespace writ::internal
