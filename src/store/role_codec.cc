#include "store/role_codec.h"

#include "core/printable.h"

namespace writ::store {
namespace {

bool IsValidRole(std::string_view role) {
  if (role.empty()) {
    return false;
  }
  for (const char c : role) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::string> EncodeRoles(const std::vector<std::string>& roles) {
  std::string encoded;
  for (const std::string& role : roles) {
    if (!IsValidRole(role)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "role \"" + internal::Printable(role) + "\" does not match [a-z0-9_-]+");
    }
    if (!encoded.empty()) {
      encoded += ',';
    }
    encoded += role;
  }
  return encoded;
}

std::vector<std::string> DecodeRoles(std::string_view encoded) {
  std::vector<std::string> roles;
  while (!encoded.empty()) {
    const std::size_t comma = encoded.find(',');
    roles.emplace_back(encoded.substr(0, comma));
    encoded = comma == std::string_view::npos ? std::string_view{} : encoded.substr(comma + 1);
  }
  return roles;
}

}  // namespace writ::store
