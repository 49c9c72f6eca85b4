// Helpers for the known-answer tests: reading files from tests/vectors/, hex and
// JWK text manipulation. Test-only code.
#ifndef WRIT_TESTS_UNIT_VECTOR_FILES_H_
#define WRIT_TESTS_UNIT_VECTOR_FILES_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "writ/result.h"

namespace writ {

// GoogleTest prints ErrorCode values by name ("bad_signature") in failure messages.
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << ErrorCodeName(code); }

}  // namespace writ

namespace writ::vectors {

// The absolute path of `relative` inside tests/vectors/.
inline std::string VectorPath(std::string_view relative) {
  return std::string(WRIT_VECTORS_DIR) + "/" + std::string(relative);
}

// The exact bytes of a vector file. Throws (failing the test) when it cannot be read,
// so a missing file never turns into a test that checks nothing.
inline std::string ReadVectorFile(std::string_view relative) {
  std::ifstream in(VectorPath(relative), std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read vector file " + VectorPath(relative));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `text` without trailing CR/LF/space (for one-line files such as .thp).
inline std::string_view TrimTrailing(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return text;
}

// A parsed JSON vector file. The parser owns the document, so keep this alive while
// using root. Parsed with simdjson's ordinary (non-writ) rules: it is test data.
struct JsonVectorFile {
  std::unique_ptr<simdjson::dom::parser> parser;
  simdjson::dom::element root;
};

inline JsonVectorFile LoadJsonVector(std::string_view relative) {
  JsonVectorFile file{std::make_unique<simdjson::dom::parser>(), {}};
  simdjson::dom::element root;
  if (file.parser->load(VectorPath(relative)).get(root) != simdjson::SUCCESS) {
    throw std::runtime_error("cannot parse vector file " + VectorPath(relative));
  }
  file.root = root;
  return file;
}

// Bytes of a lowercase or uppercase hex string. Throws on odd length or a non-hex digit.
inline std::string HexDecode(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw std::runtime_error("bad hex digit");
  };
  if (hex.size() % 2 != 0) {
    throw std::runtime_error("odd-length hex");
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

inline std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// `jwk_json` (a JSON object) with "name":"value" inserted as its first member.
inline std::string WithStringMember(std::string_view jwk_json, std::string_view name,
                                    std::string_view value) {
  const std::size_t brace = jwk_json.find('{');
  if (brace == std::string_view::npos) {
    throw std::runtime_error("not a JSON object");
  }
  std::string out(jwk_json.substr(0, brace + 1));
  out += "\"" + std::string(name) + "\":\"" + std::string(value) + "\"";
  std::string_view rest = jwk_json.substr(brace + 1);
  const std::size_t next = rest.find_first_not_of(" \t\r\n");
  if (next != std::string_view::npos && rest[next] != '}') {
    out += ",";
  }
  out += rest;
  return out;
}

// The minified JWK `jwk`, with "alg":`alg` added unless it already has an alg member.
inline std::string JwkWithAlg(simdjson::dom::object jwk, std::string_view alg) {
  std::string text = simdjson::minify(jwk);
  simdjson::dom::element existing;
  if (jwk.at_key("alg").get(existing) == simdjson::SUCCESS) {
    return text;
  }
  return WithStringMember(text, "alg", alg);
}

// The part of a compact JWS before its last '.', i.e. the JWS Signing Input.
inline std::string_view SigningInputOf(std::string_view compact) {
  return compact.substr(0, compact.rfind('.'));
}

// The base64url signature part of a compact JWS.
inline std::string_view SignaturePartOf(std::string_view compact) {
  return compact.substr(compact.rfind('.') + 1);
}

}  // namespace writ::vectors

#endif  // WRIT_TESTS_UNIT_VECTOR_FILES_H_
