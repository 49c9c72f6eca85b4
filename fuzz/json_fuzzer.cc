// libFuzzer target for libwrit's strict JSON (core/strict_json.h: RFC 8259 with the I-JSON
// rules of RFC 7493 — valid UTF-8, no lone surrogates, unique member names after
// unescaping, bounded depth and size), its writer (core/json_writer.h) and the credentials
// body of `writ serve` (server/json_body.h), against a reference parser written from the
// RFC 8259 grammar, independently of simdjson (json_reference.h).
//
// Invariants, on any input:
//  - CheckStrictValue, ParseStrictObject and ParseStrictObjectInto accept exactly the texts
//    the reference finds valid, within the depth limit and free of duplicate names (numbers
//    outside the 64-bit integers or the doubles may go either way), and refuse everything
//    else with kMalformed or kTooLarge; accepted values equal the reference's, byte for byte
//    for strings (escapes and surrogate pairs decoded) and exactly for numbers;
//  - no duplicate member name is ever accepted, at any depth;
//  - ToJson (simdjson::minify) of an accepted value is itself accepted, equal to the value,
//    and stable; AppendJsonString of every accepted string parses back to that string;
//  - ParseCredentials (depth 4) agrees with ParseStrictObject and the member types, and
//    NormalizeUsername gives "" or 1-64 bytes of [a-z0-9._@-], idempotently.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_writer.h"
#include "core/strict_json.h"
#include "json_reference.h"
#include "server/http_message.h"
#include "server/json_body.h"

namespace {

using writ::ErrorCode;
using writ::internal::JsonLimits;
using writ_fuzz::Node;
using writ_fuzz::ReferenceParser;
using writ_fuzz::Verdict;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "json_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

// What the reference expects a strict parse under `limits` to do.
enum class Expect { kAccept, kRefuse, kEither };

struct Reference {
  Verdict verdict = Verdict::kInvalid;
  Node root;
  bool has_duplicates = false;
  bool has_out_of_range = false;
  std::size_t depth = 0;

  Expect For(const JsonLimits& limits, std::size_t size, bool object_only) const {
    if (size > limits.max_bytes || verdict != Verdict::kValid || depth > limits.max_depth ||
        has_duplicates || (object_only && root.type != Node::Type::kObject)) {
      return Expect::kRefuse;
    }
    return has_out_of_range ? Expect::kEither : Expect::kAccept;
  }
};

// ---- Comparing the strict parser's tree with the reference -------------------------------

bool SameNumber(simdjson::dom::element element, const Node& node) {
  if (node.out_of_range) {
    return true;  // I-JSON (RFC 7493 §2.2): no interoperable value to compare with
  }
  const double expected = std::strtod(node.text.c_str(), nullptr);
  switch (element.type()) {
    case simdjson::dom::element_type::INT64: {
      std::int64_t value = 0;
      return element.get(value) == simdjson::SUCCESS &&
             (std::to_string(value) == node.text || (node.text == "-0" && value == 0));
    }
    case simdjson::dom::element_type::UINT64: {
      std::uint64_t value = 0;
      return element.get(value) == simdjson::SUCCESS && std::to_string(value) == node.text;
    }
    case simdjson::dom::element_type::DOUBLE: {
      double value = 0;
      return element.get(value) == simdjson::SUCCESS && value == expected &&
             std::signbit(value) == std::signbit(expected);
    }
    default:
      return false;
  }
}

bool SameTree(simdjson::dom::element element, const Node& node);

bool SameObject(simdjson::dom::object object, const Node& node) {
  if (node.type != Node::Type::kObject || object.size() != node.children.size()) {
    return false;
  }
  std::size_t index = 0;
  for (auto field : object) {
    const Node& member = node.children[index++];
    if (field.key != member.name || !SameTree(field.value, member)) {
      return false;
    }
  }
  return true;
}

bool SameTree(simdjson::dom::element element, const Node& node) {
  switch (node.type) {
    case Node::Type::kObject: {
      simdjson::dom::object object;
      return element.get(object) == simdjson::SUCCESS && SameObject(object, node);
    }
    case Node::Type::kArray: {
      simdjson::dom::array array;
      if (element.get(array) != simdjson::SUCCESS || array.size() != node.children.size()) {
        return false;
      }
      std::size_t index = 0;
      for (simdjson::dom::element item : array) {
        if (!SameTree(item, node.children[index++])) {
          return false;
        }
      }
      return true;
    }
    case Node::Type::kString: {
      std::string_view text;
      return element.get(text) == simdjson::SUCCESS && text == node.text;
    }
    case Node::Type::kNumber:
      return SameNumber(element, node);
    case Node::Type::kTrue:
    case Node::Type::kFalse: {
      bool flag = false;
      return element.get(flag) == simdjson::SUCCESS && flag == (node.type == Node::Type::kTrue);
    }
    case Node::Type::kNull:
      return element.type() == simdjson::dom::element_type::NULL_VALUE;
  }
  return false;
}

void CollectStrings(const Node& node, std::vector<std::string>& out) {
  if (node.type == Node::Type::kString) {
    out.push_back(node.text);
  }
  for (const Node& child : node.children) {
    if (node.type == Node::Type::kObject) {
      out.push_back(child.name);
    }
    CollectStrings(child, out);
  }
}

void CheckRefusal(const writ::Error& error) {
  Check(error.code == ErrorCode::kMalformed || error.code == ErrorCode::kTooLarge,
        "a strict JSON refusal is kMalformed or kTooLarge");
}

void CheckOutcome(bool accepted, Expect expect, const char* what) {
  if ((expect == Expect::kAccept && !accepted) || (expect == Expect::kRefuse && accepted)) {
    std::fprintf(stderr, "json_fuzzer: %s %s what the reference %s\n", what,
                 accepted ? "accepted" : "refused", accepted ? "refuses" : "accepts");
    Check(false, "the strict parser and the reference disagree");
  }
}

// ToJson of an accepted value: accepted again, the same value, and a fixed point.
void CheckRoundTrip(simdjson::dom::element element, const Reference& reference,
                    const JsonLimits& limits) {
  const std::string minified = writ::internal::ToJson(element);
  Node again;
  ReferenceParser parser(minified, limits.max_depth);
  Check(parser.Parse(again) == Verdict::kValid, "ToJson wrote JSON the reference refuses");
  Check(!parser.has_duplicates(), "ToJson wrote a duplicate member");
  auto reparsed = writ::internal::CheckStrictValue(minified, limits);
  Check(reparsed.has_value(), "ToJson wrote JSON the strict parser refuses");
  simdjson::dom::parser second;
  simdjson::dom::element element_again;
  Check(second.parse(minified).get(element_again) == simdjson::SUCCESS, "ToJson output parses");
  if (!reference.has_out_of_range) {
    Check(SameTree(element_again, reference.root), "ToJson changed the value");
  }
  Check(writ::internal::ToJson(element_again) == minified, "ToJson is not a fixed point");
}

// AppendJsonString of every string and member name parses back to the same bytes.
void CheckStringWriter(const Node& root) {
  std::vector<std::string> strings;
  CollectStrings(root, strings);
  for (const std::string& text : strings) {
    std::string quoted;
    writ::internal::AppendJsonString(quoted, text);
    Node parsed;
    ReferenceParser parser(quoted, 1);
    Check(parser.Parse(parsed) == Verdict::kValid && parsed.text == text,
          "AppendJsonString does not round-trip");
  }
}

void CheckStrictParsers(std::string_view json, const Reference& reference) {
  const JsonLimits limits;
  // CheckStrictValue: any value.
  const Expect any_value = reference.For(limits, json.size(), false);
  if (auto checked = writ::internal::CheckStrictValue(json, limits); checked) {
    CheckOutcome(true, any_value, "CheckStrictValue");
  } else {
    CheckRefusal(checked.error());
    CheckOutcome(false, any_value, "CheckStrictValue");
  }
  // ParseStrictObject / ParseStrictObjectInto: an object at the top.
  const Expect object = reference.For(limits, json.size(), true);
  simdjson::dom::document document;
  auto owned = writ::internal::ParseStrictObjectInto(document, writ::internal::PaddedCopy(json),
                                                     limits, false);
  auto parsed = writ::internal::ParseStrictObject(json, limits);
  Check(parsed.has_value() == owned.has_value(), "ParseStrictObject and ...Into disagree");
  if (!parsed) {
    CheckRefusal(parsed.error());
    Check(parsed.error().code == owned.error().code, "...Into refuses with another code");
    CheckOutcome(false, object, "ParseStrictObject");
    return;
  }
  CheckOutcome(true, object, "ParseStrictObject");
  Check(SameObject(*parsed, reference.root) || reference.has_out_of_range,
        "ParseStrictObject's value differs from the reference's");
  Check(SameObject(*owned, reference.root) || reference.has_out_of_range,
        "ParseStrictObjectInto's value differs from the reference's");
  CheckStringWriter(reference.root);
  // ToJson as the claims builder uses it: on an element of an accepted document.
  simdjson::dom::parser local_parser;
  const std::string copy = writ::internal::PaddedCopy(json);
  simdjson::dom::element element;
  Check(local_parser.parse(copy).get(element) == simdjson::SUCCESS,
        "simdjson parses what the strict parser accepted");
  CheckRoundTrip(element, reference, limits);
}

// The body of POST /auth/login and /auth/signup (server/json_body.h), depth 4.
void CheckCredentials(std::string_view json, const Reference& reference) {
  writ::server::HttpRequest request;
  request.method = "POST";
  request.target = "/auth/login";
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  request.body = std::string(json);
  writ::server::Credentials credentials;
  writ::server::BodyError error;
  const bool ok = writ::server::ParseCredentials(request, credentials, error);

  JsonLimits body_limits;
  body_limits.max_bytes = json.size() + 1;
  body_limits.max_depth = 4;
  const Expect expect = reference.For(body_limits, json.size(), true);
  if (expect == Expect::kRefuse) {
    Check(!ok && error.status == 400 && error.code == "malformed_json",
          "a body the strict rules refuse is 400 malformed_json");
    return;
  }
  if (expect == Expect::kEither && !ok && error.code == "malformed_json") {
    return;
  }
  // Well-formed: the members decide.
  const Node* username = nullptr;
  const Node* password = nullptr;
  const Node* remember = nullptr;
  for (const Node& member : reference.root.children) {
    username = member.name == "username" ? &member : username;
    password = member.name == "password" ? &member : password;
    remember = member.name == "remember" ? &member : remember;
  }
  const bool well_typed =
      username != nullptr && username->type == Node::Type::kString && password != nullptr &&
      password->type == Node::Type::kString &&
      (remember == nullptr || remember->type == Node::Type::kTrue ||
       remember->type == Node::Type::kFalse);
  Check(ok == well_typed, "ParseCredentials accepts exactly string username and password");
  if (!ok) {
    Check(error.status == 400 && error.code == "invalid_request", "badly typed: invalid_request");
    return;
  }
  Check(credentials.username == username->text && credentials.password == password->text,
        "ParseCredentials returns the members' values");
  Check(credentials.remember == (remember != nullptr && remember->type == Node::Type::kTrue),
        "remember is the member's value");
  // NormalizeUsername: 1-64 bytes of [a-z0-9._@-] after ASCII lower-casing, else "".
  std::string expected;
  for (char c : credentials.username) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                         c == '_' || c == '@' || c == '-';
    if (!allowed) {
      expected.clear();
      break;
    }
    expected.push_back(c);
  }
  if (expected.size() > 64) {
    expected.clear();
  }
  const std::string normalized = writ::server::NormalizeUsername(credentials.username);
  Check(normalized == expected, "NormalizeUsername differs from its contract");
  Check(writ::server::NormalizeUsername(normalized) == normalized,
        "NormalizeUsername is idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  Reference reference;
  // The default depth limit: a deeper text ends the reference parse (and bounds its recursion).
  ReferenceParser parser(json, JsonLimits{}.max_depth);
  reference.verdict = parser.Parse(reference.root);
  reference.has_duplicates = parser.has_duplicates();
  reference.has_out_of_range = parser.has_out_of_range();
  reference.depth = reference.verdict == Verdict::kTooDeep ? JsonLimits{}.max_depth + 1
                                                           : parser.depth();
  CheckStrictParsers(json, reference);
  CheckCredentials(json, reference);
  return 0;
}
