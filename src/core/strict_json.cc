#include "core/strict_json.h"

#include <algorithm>
#include <array>
#include <vector>

#include <sodium.h>

namespace writ::internal {
namespace {

using simdjson::dom::element;

// Objects up to this many members are checked for duplicates pairwise; larger ones sorted.
constexpr std::size_t kPairwiseLimit = 16;

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

Error JsonError(simdjson::error_code code) {
  switch (code) {
    case simdjson::DEPTH_ERROR:
    case simdjson::CAPACITY:
      return Error{ErrorCode::kTooLarge, "JSON nested or sized beyond the limit"};
    case simdjson::UTF8_ERROR:
      return Error{ErrorCode::kMalformed, "JSON is not valid UTF-8"};
    default:
      return Error{ErrorCode::kMalformed, std::string("invalid JSON: ") + simdjson::error_message(code)};
  }
}

bool HasDuplicateNames(simdjson::dom::object object) {
  const std::size_t count = object.size();
  if (count < 2) {
    return false;
  }
  // Names are already unescaped, so "\u0061" and "a" compare equal.
  if (count <= kPairwiseLimit) {
    std::array<std::string_view, kPairwiseLimit> names;
    std::size_t seen = 0;
    for (auto field : object) {
      for (std::size_t i = 0; i < seen; ++i) {
        if (names[i] == field.key) {
          return true;
        }
      }
      names[seen++] = field.key;
    }
    return false;
  }
  std::vector<std::string_view> names;
  names.reserve(count);
  for (auto field : object) {
    names.push_back(field.key);
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

// Walks the tree: unique names in every object (RFC 7515 §4, RFC 7519 §4: "MUST either
// reject ... or use a JSON parser that returns only the lexically last duplicate member
// name" — we reject), depth at most `max_depth` with the top level at depth 1.
Status CheckTree(element value, std::size_t depth, std::size_t max_depth) {
  const auto type = value.type();
  if (type != simdjson::dom::element_type::ARRAY && type != simdjson::dom::element_type::OBJECT) {
    return {};
  }
  if (depth > max_depth) {
    return Fail(ErrorCode::kTooLarge, "JSON nested deeper than " + std::to_string(max_depth));
  }
  if (type == simdjson::dom::element_type::ARRAY) {
    simdjson::dom::array array;
    if (value.get(array) == simdjson::SUCCESS) {
      for (element item : array) {
        if (auto status = CheckTree(item, depth + 1, max_depth); !status) {
          return status;
        }
      }
    }
    return {};
  }
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) {
    return {};
  }
  if (HasDuplicateNames(object)) {
    return Fail(ErrorCode::kMalformed, "JSON object has duplicate member names");
  }
  for (auto field : object) {
    if (auto status = CheckTree(field.value, depth + 1, max_depth); !status) {
      return status;
    }
  }
  return {};
}

// `json` with simdjson's padding after it: the caller's bytes when `padded`, else a copy
// that is wiped when this goes out of scope (the input may be a private JWK; simdjson
// copies what it keeps into its own document, so the copy is not needed after parsing).
class PaddedInput {
 public:
  PaddedInput(std::string_view json, bool padded) : data_(json.data()) {
    if (!padded) {
      copy_ = PaddedCopy(json);
      data_ = copy_.data();
    }
  }
  ~PaddedInput() { sodium_memzero(copy_.data(), copy_.size()); }
  PaddedInput(const PaddedInput&) = delete;
  PaddedInput& operator=(const PaddedInput&) = delete;
  const char* data() const { return data_; }

 private:
  std::string copy_;
  const char* data_;
};

Status PrepareParser(simdjson::dom::parser& parser, std::size_t size, const JsonLimits& limits) {
  if (size > limits.max_bytes) {
    return Fail(ErrorCode::kTooLarge, "JSON longer than " + std::to_string(limits.max_bytes) + " bytes");
  }
  // One more level than allowed, so that CheckTree reports the depth precisely while
  // simdjson still bounds its own work.
  const std::size_t depth = limits.max_depth + 1;
  if (parser.capacity() < size || parser.max_depth() != depth) {
    const std::size_t capacity = std::max<std::size_t>(size, 4096);
    if (parser.allocate(capacity, depth) != simdjson::SUCCESS) {
      return Fail(ErrorCode::kTooLarge, "cannot allocate a JSON parser of that size");
    }
  }
  return {};
}

Result<simdjson::dom::object> CheckRootObject(simdjson::simdjson_result<element> parsed,
                                              const JsonLimits& limits) {
  element root;
  if (auto code = parsed.get(root); code != simdjson::SUCCESS) {
    return tl::unexpected(JsonError(code));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return Fail(ErrorCode::kMalformed, "JSON value is not an object");
  }
  if (auto status = CheckTree(root, 1, limits.max_depth); !status) {
    return tl::unexpected(status.error());
  }
  return object;
}

}  // namespace

Result<simdjson::dom::object> ParseStrictObject(std::string_view json, const JsonLimits& limits,
                                                bool padded) {
  simdjson::dom::parser& parser = ThreadParser();
  if (auto status = PrepareParser(parser, json.size(), limits); !status) {
    return tl::unexpected(status.error());
  }
  const PaddedInput input(json, padded);
  return CheckRootObject(parser.parse(input.data(), json.size(), false), limits);
}

Result<simdjson::dom::object> ParseStrictObjectInto(simdjson::dom::document& document,
                                                    std::string_view json,
                                                    const JsonLimits& limits, bool padded) {
  simdjson::dom::parser& parser = ThreadParser();
  if (auto status = PrepareParser(parser, json.size(), limits); !status) {
    return tl::unexpected(status.error());
  }
  const PaddedInput input(json, padded);
  return CheckRootObject(parser.parse_into_document(document, input.data(), json.size(), false), limits);
}

Status CheckStrictValue(std::string_view json, const JsonLimits& limits) {
  simdjson::dom::parser& parser = ThreadParser();
  if (auto status = PrepareParser(parser, json.size(), limits); !status) {
    return status;
  }
  element root;
  const PaddedInput input(json, false);
  if (auto code = parser.parse(input.data(), json.size(), false).get(root);
      code != simdjson::SUCCESS) {
    return tl::unexpected(JsonError(code));
  }
  return CheckTree(root, 1, limits.max_depth);
}

std::string PaddedCopy(std::string_view text) {
  std::string copy;
  copy.reserve(text.size() + kJsonPadding);
  copy.assign(text);
  return copy;
}

}  // namespace writ::internal
