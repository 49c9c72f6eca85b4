// writ::cli::UnverifiedToken: a decoded token whose header and payload can be read for
// display and linting. NOTHING here is verified; it must never grant anything.
#ifndef WRIT_CLI_UNVERIFIED_TOKEN_H_
#define WRIT_CLI_UNVERIFIED_TOKEN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "writ/result.h"
#include "writ/unverified.h"

namespace writ::cli {

// A NumericDate claim (RFC 7519 §2) as the token states it.
struct UnverifiedDate {
  bool present = false;
  std::optional<std::int64_t> seconds;  // nullopt when present but not a JSON number
};

class UnverifiedToken {
 public:
  // Decodes `token` with writ::DecodeUnverified (strict shape, base64url and JSON) and
  // parses the header and, when it is JSON, the payload.
  static Result<UnverifiedToken> Decode(std::string_view token);

  const UnverifiedJws& jws() const { return jws_; }
  std::size_t token_size() const { return token_size_; }
  simdjson::dom::object header() const { return header_; }
  // The payload object; nullopt when the payload is not a JSON object.
  std::optional<simdjson::dom::object> payload() const { return payload_; }

  // The header's alg as written; empty when absent or not a string.
  std::string_view header_alg() const;
  // A top-level string claim; nullopt when absent or not a string.
  std::optional<std::string_view> StringClaim(std::string_view name) const;
  UnverifiedDate DateClaim(std::string_view name) const;

 private:
  UnverifiedToken() = default;

  UnverifiedJws jws_;
  std::size_t token_size_ = 0;
  // Held by pointer so the parsed elements stay valid when the token is moved.
  std::unique_ptr<simdjson::dom::parser> header_parser_;
  std::unique_ptr<simdjson::dom::parser> payload_parser_;
  simdjson::dom::object header_;
  std::optional<simdjson::dom::object> payload_;
};

}  // namespace writ::cli

#endif  // WRIT_CLI_UNVERIFIED_TOKEN_H_
