// writ::ClaimsBuilder: the claims of a token to be signed.
#ifndef WRIT_CLAIMS_BUILDER_H_
#define WRIT_CLAIMS_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "writ/clock.h"
#include "writ/result.h"

namespace writ {

// An ordered set of claims. Setting a name that exists replaces it. Values are stored
// as serialised JSON, so the payload is exactly what Build() returns.
class ClaimsBuilder {
 public:
  ClaimsBuilder() = default;

  // Starts from a JSON object, parsed with the strict rules (unique names, UTF-8, depth).
  static Result<ClaimsBuilder> FromJson(std::string_view json_object);

  ClaimsBuilder& SetIssuer(std::string_view iss) { return SetString("iss", iss); }
  ClaimsBuilder& SetSubject(std::string_view sub) { return SetString("sub", sub); }
  ClaimsBuilder& SetAudience(std::string_view aud) { return SetString("aud", aud); }
  ClaimsBuilder& SetAudiences(const std::vector<std::string>& auds);
  ClaimsBuilder& SetJwtId(std::string_view jti) { return SetString("jti", jti); }
  ClaimsBuilder& SetExpiresAt(Seconds t) { return SetInteger("exp", t.time_since_epoch().count()); }
  ClaimsBuilder& SetNotBefore(Seconds t) { return SetInteger("nbf", t.time_since_epoch().count()); }
  ClaimsBuilder& SetIssuedAt(Seconds t) { return SetInteger("iat", t.time_since_epoch().count()); }

  ClaimsBuilder& SetString(std::string_view name, std::string_view value);
  ClaimsBuilder& SetInteger(std::string_view name, std::int64_t value);
  ClaimsBuilder& SetBool(std::string_view name, bool value);
  ClaimsBuilder& SetStringList(std::string_view name, const std::vector<std::string>& values);
  // Sets a claim to any JSON value, checked with the strict rules.
  Status SetJson(std::string_view name, std::string_view json_value);

  bool Has(std::string_view name) const;
  void Remove(std::string_view name);

  // The compact JSON object.
  std::string Build() const;

 private:
  void SetRaw(std::string_view name, std::string raw_json);
  std::vector<std::pair<std::string, std::string>> members_;  // name, serialised value
};

}  // namespace writ

#endif  // WRIT_CLAIMS_BUILDER_H_
