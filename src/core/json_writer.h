// Minimal JSON output for headers, claims and JWKs.
#ifndef WRIT_CORE_JSON_WRITER_H_
#define WRIT_CORE_JSON_WRITER_H_

#include <string>
#include <string_view>

#include <simdjson.h>

namespace writ::internal {

// Appends `text` as a JSON string literal (quotes included), escaping '"', '\\' and
// control characters. `text` is assumed to be valid UTF-8.
void AppendJsonString(std::string& out, std::string_view text);

// Appends "name":"value" with a leading comma unless `out` ends with '{'.
void AppendStringMember(std::string& out, std::string_view name, std::string_view value);

// Minified JSON of a parsed element.
std::string ToJson(simdjson::dom::element element);

}  // namespace writ::internal

#endif  // WRIT_CORE_JSON_WRITER_H_
