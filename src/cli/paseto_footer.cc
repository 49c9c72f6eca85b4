#include "paseto_footer.h"

#include <string>

#include "core/json_writer.h"
#include "core/strict_json.h"
#include "writ/paserk.h"
#include "writ/paseto.h"

namespace writ::cli {
namespace {

constexpr internal::JsonLimits kFooterLimits{.max_bytes = kMaxPasetoFooterBytes, .max_depth = 4};

// True when a member name or string anywhere in `element` holds PASERK key material.
bool HasKeyMaterial(simdjson::dom::element element);

bool HasKeyMaterial(simdjson::dom::object object) {
  for (simdjson::dom::key_value_pair member : object) {
    if (paserk::ContainsKeyMaterial(member.key) || HasKeyMaterial(member.value)) {
      return true;
    }
  }
  return false;
}

bool HasKeyMaterial(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view text;
      return element.get(text) == simdjson::SUCCESS && paserk::ContainsKeyMaterial(text);
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (element.get(array) != simdjson::SUCCESS) {
        return true;  // fail closed
      }
      for (simdjson::dom::element item : array) {
        if (HasKeyMaterial(item)) {
          return true;
        }
      }
      return false;
    }
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      return element.get(object) != simdjson::SUCCESS || HasKeyMaterial(object);
    }
    default:
      return false;
  }
}

}  // namespace

Result<std::string> BuildPasetoFooter(std::string_view kid, std::string_view user_json) {
  if (paserk::ContainsKeyMaterial(user_json)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--footer carries PASERK key material; a footer may name a key (kid), never contain one");
  }
  Result<simdjson::dom::object> object = internal::ParseStrictObject(user_json, kFooterLimits);
  if (!object) {
    return Fail(ErrorCode::kInvalidArgument, "--footer must be a strict JSON object: " + object.error().detail);
  }
  if (HasKeyMaterial(*object)) {
    return Fail(ErrorCode::kInvalidArgument,
                "--footer carries PASERK key material; a footer may name a key (kid), never contain one");
  }
  simdjson::dom::element ignored;
  if (object->at_key("kid").get(ignored) == simdjson::SUCCESS) {
    return Fail(ErrorCode::kInvalidArgument, "--footer must not set kid: writ sets it to the key's PASERK id");
  }
  std::string members = simdjson::minify(*object);  // "{...}", minified
  std::string footer = "{";
  internal::AppendStringMember(footer, "kid", kid);
  if (members.size() > 2) {
    footer += ',';
    footer.append(members, 1);
  } else {
    footer += '}';
  }
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "--footer is too large: a footer is at most " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  return footer;
}

}  // namespace writ::cli
