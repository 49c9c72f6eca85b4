// Strict JSON for JOSE headers, claims and JWKs (RFC 7515 §4, RFC 7519 §7.2, RFC 8259):
// a single object at the top, unique member names compared after unescaping, valid UTF-8
// without lone surrogates, bounded depth and size, nothing after the value.
#ifndef WRIT_CORE_STRICT_JSON_H_
#define WRIT_CORE_STRICT_JSON_H_

#include <cstddef>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "writ/result.h"

namespace writ::internal {

inline constexpr std::size_t kJsonPadding = simdjson::SIMDJSON_PADDING;

struct JsonLimits {
  std::size_t max_bytes = 65536;
  std::size_t max_depth = 16;
};

// Parses `json` with this thread's parser. The element stays valid until the next
// ParseStrictObject or CheckStrictValue call on the same thread. `json` must have kJsonPadding readable
// bytes after its end when `padded` is true; otherwise it is copied.
Result<simdjson::dom::object> ParseStrictObject(std::string_view json, const JsonLimits& limits,
                                                bool padded = false);

// Parses `json` into `document`, which then owns the result (for claims that outlive
// the call). Same rules and padding contract.
Result<simdjson::dom::object> ParseStrictObjectInto(simdjson::dom::document& document,
                                                    std::string_view json,
                                                    const JsonLimits& limits, bool padded);

// Checks any JSON value (not only an object) with the same rules; for claim values
// given on the command line.
Status CheckStrictValue(std::string_view json, const JsonLimits& limits);

// A std::string with kJsonPadding spare capacity, so its contents can be parsed in place.
std::string PaddedCopy(std::string_view text);

}  // namespace writ::internal

#endif  // WRIT_CORE_STRICT_JSON_H_
