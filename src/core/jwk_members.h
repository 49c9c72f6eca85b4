// internal::JwkMembers: the string members of one JWK, parsed strictly, wiped on release.
#ifndef WRIT_CORE_JWK_MEMBERS_H_
#define WRIT_CORE_JWK_MEMBERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "writ/result.h"

namespace writ::internal {

class JwkMembers {
 public:
  JwkMembers() = default;
  JwkMembers(const JwkMembers&) = delete;
  JwkMembers& operator=(const JwkMembers&) = delete;
  JwkMembers(JwkMembers&&) = default;
  JwkMembers& operator=(JwkMembers&&) = default;
  ~JwkMembers();

  void Add(std::string name, std::string value);
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // The base64url-decoded member, kMalformed when absent or not canonical base64url.
  Result<std::string> Decoded(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

}  // namespace writ::internal

#endif  // WRIT_CORE_JWK_MEMBERS_H_
