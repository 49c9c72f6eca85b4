// internal::ClaimsDocument: a verified payload, its parsed JSON object, and the
// registered claims (RFC 7519 §4.1) read once with their types checked.
#ifndef WRIT_CORE_CLAIMS_DOCUMENT_H_
#define WRIT_CORE_CLAIMS_DOCUMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "writ/result.h"

namespace writ::internal {

// The registered claims, as found; views point into the ClaimsDocument.
struct RegisteredClaims {
  std::optional<std::string_view> iss;
  std::optional<std::string_view> sub;
  std::optional<std::string_view> jti;
  bool has_aud = false;
  std::optional<std::string_view> aud_string;  // aud as a single string
  simdjson::dom::array aud_array;               // aud as an array of strings (when has_aud && !aud_string)
  std::optional<std::int64_t> exp;
  std::optional<std::int64_t> nbf;
  std::optional<std::int64_t> iat;
};

// How a format writes its time claims: JWT NumericDates (RFC 7519 §2) or PASETO's
// RFC 3339 strings.
enum class TimeFormat { kNumericDate, kRfc3339 };

class ClaimsDocument {
 public:
  // Decodes the base64url payload, parses it strictly as a JSON object, and reads the
  // registered claims: kInvalidClaim when iss/sub/jti are not strings, aud not a string
  // or array of strings, or exp/nbf/iat not NumericDates (RFC 7519 §4.1).
  static Result<std::shared_ptr<const ClaimsDocument>> Parse(std::string_view encoded_payload);

  // The same for a payload that is already decoded (PASETO), with its time format.
  static Result<std::shared_ptr<const ClaimsDocument>> ParseJson(std::string_view payload, TimeFormat format);

  std::string_view payload_json() const { return payload_; }
  simdjson::dom::object root() const { return root_; }
  const RegisteredClaims& registered() const { return registered_; }
  // The member `name`, or an element for which .error() is set when absent.
  simdjson::simdjson_result<simdjson::dom::element> Find(std::string_view name) const {
    return root_.at_key(name);
  }

  ClaimsDocument() = default;  // for make_shared; use Parse()
  ClaimsDocument(const ClaimsDocument&) = delete;
  ClaimsDocument& operator=(const ClaimsDocument&) = delete;

 private:
  Status ParseOwnPayload(TimeFormat format);
  Status ReadRegistered(TimeFormat format);

  std::string payload_;  // padded for simdjson
  simdjson::dom::document document_;
  simdjson::dom::object root_;
  RegisteredClaims registered_;
};

}  // namespace writ::internal

#endif  // WRIT_CORE_CLAIMS_DOCUMENT_H_
