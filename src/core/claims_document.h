// internal::ClaimsDocument: a verified payload and its parsed JSON object.
#ifndef WRIT_CORE_CLAIMS_DOCUMENT_H_
#define WRIT_CORE_CLAIMS_DOCUMENT_H_

#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "writ/result.h"

namespace writ::internal {

class ClaimsDocument {
 public:
  // Decodes the base64url payload and parses it strictly as a JSON object.
  static Result<std::shared_ptr<const ClaimsDocument>> Parse(std::string_view encoded_payload);

  std::string_view payload_json() const { return payload_; }
  simdjson::dom::object root() const { return root_; }
  // The member `name`, or an element for which .error() is set when absent.
  simdjson::simdjson_result<simdjson::dom::element> Find(std::string_view name) const {
    return root_.at_key(name);
  }

 private:
  ClaimsDocument() = default;
  std::string payload_;  // padded for simdjson
  simdjson::dom::document document_;
  simdjson::dom::object root_;
};

}  // namespace writ::internal

#endif  // WRIT_CORE_CLAIMS_DOCUMENT_H_
