// Roles as both backends store them: one column of comma-separated names, each matching
// [a-z0-9_-]+ (so no name can hold the separator). One copy, so SQLite and PostgreSQL
// accept and read exactly the same roles.
#ifndef WRIT_STORE_ROLE_CODEC_H_
#define WRIT_STORE_ROLE_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "writ/result.h"

namespace writ::store {

// "admin,user" for {"admin", "user"}; kInvalidArgument naming the first role that does not
// match [a-z0-9_-]+.
Result<std::string> EncodeRoles(const std::vector<std::string>& roles);

// The roles of an encoded column; {} for "".
std::vector<std::string> DecodeRoles(std::string_view encoded);

}  // namespace writ::store

#endif  // WRIT_STORE_ROLE_CODEC_H_
