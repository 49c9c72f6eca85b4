// writ::server::AccessClaims: what a checked access token says about its bearer.
#ifndef WRIT_SERVER_ACCESS_CLAIMS_H_
#define WRIT_SERVER_ACCESS_CLAIMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "writ/clock.h"

namespace writ::server {

struct AccessClaims {
  std::int64_t user_id = 0;
  std::string username;
  std::vector<std::string> roles;
  std::string session_id;
  std::string jti;
  Seconds issued_at{};
  Seconds expires_at{};
};

}  // namespace writ::server

#endif  // WRIT_SERVER_ACCESS_CLAIMS_H_
