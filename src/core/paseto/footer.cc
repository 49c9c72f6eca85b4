#include "core/paseto/footer.h"

#include "core/json_writer.h"
#include "core/printable.h"
#include "core/strict_json.h"
#include "writ/paseto.h"
#include "writ/paserk.h"

namespace writ::internal {
namespace {

constexpr JsonLimits kFooterLimits{.max_bytes = kMaxPasetoFooterBytes, .max_depth = 4};

bool CarriesKeyMaterial(simdjson::dom::element value);

// Whether any member name or string value, after unescaping, carries a PASERK key: the raw
// text check misses "k4\u002elocal\u002e...".
bool CarriesKeyMaterial(simdjson::dom::object object) {
  for (auto field : object) {
    if (paserk::ContainsKeyMaterial(field.key) || CarriesKeyMaterial(field.value)) {
      return true;
    }
  }
  return false;
}

bool CarriesKeyMaterial(simdjson::dom::element value) {
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) {
    return paserk::ContainsKeyMaterial(text);
  }
  simdjson::dom::array array;
  if (value.get(array) == simdjson::SUCCESS) {
    for (auto item : array) {
      if (CarriesKeyMaterial(item)) {
        return true;
      }
    }
    return false;
  }
  simdjson::dom::object object;
  return value.get(object) == simdjson::SUCCESS && CarriesKeyMaterial(object);
}

}  // namespace

Result<std::optional<std::string>> FooterKid(std::string_view footer, std::string_view id_prefix) {
  if (paserk::ContainsKeyMaterial(footer)) {
    return Fail(ErrorCode::kForbiddenHeader, "footer carries PASERK key material");
  }
  if (footer.empty() || footer.front() != '{') {
    return std::optional<std::string>();
  }
  auto object = ParseStrictObject(footer, kFooterLimits);
  if (!object) {
    return Fail(object.error().code, "footer: " + object.error().detail);
  }
  if (CarriesKeyMaterial(*object)) {
    return Fail(ErrorCode::kForbiddenHeader, "footer carries PASERK key material");
  }
  simdjson::dom::element kid_value;
  if (object->at_key("kid").get(kid_value) != simdjson::SUCCESS) {
    return std::optional<std::string>();
  }
  std::string_view kid;
  if (kid_value.get(kid) != simdjson::SUCCESS || kid.substr(0, id_prefix.size()) != id_prefix ||
      kid.size() == id_prefix.size()) {
    return Fail(ErrorCode::kMalformed, "footer kid must be a PASERK " + std::string(id_prefix.substr(3, 3)) +
                                           ", got \"" + Printable(kid) + "\"");
  }
  return std::optional<std::string>(std::string(kid));
}

Result<std::string> BuildFooter(std::string_view kid, std::string_view extra_members) {
  std::string footer = "{";
  AppendStringMember(footer, "kid", kid);
  if (!extra_members.empty()) {
    auto object = ParseStrictObject(extra_members, kFooterLimits);
    if (!object) {
      return Fail(ErrorCode::kInvalidArgument, "footer members must be a strict JSON object: " + object.error().detail);
    }
    if (paserk::ContainsKeyMaterial(extra_members) || CarriesKeyMaterial(*object)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "footer members carry PASERK key material: a footer may name a key (kid), never contain one");
    }
    simdjson::dom::element ignored;
    if (object->at_key("kid").get(ignored) == simdjson::SUCCESS) {
      return Fail(ErrorCode::kInvalidArgument, "footer members must not set kid: it is the key's PASERK id");
    }
    for (auto field : *object) {
      footer += ',';
      AppendJsonString(footer, field.key);
      footer += ':';
      footer += ToJson(field.value);
    }
  }
  footer += '}';
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  return footer;
}

}  // namespace writ::internal
