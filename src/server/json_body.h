// Reading the JSON bodies of the auth endpoints: Content-Type application/json only, the
// strict JSON rules of libwrit (unique member names, UTF-8, depth), typed members.
#ifndef WRIT_SERVER_JSON_BODY_H_
#define WRIT_SERVER_JSON_BODY_H_

#include <string>

#include "server/http_message.h"

namespace writ::server {

// The body of POST /auth/signup and /auth/login. The password is wiped on destruction.
struct Credentials {
  std::string username;
  std::string password;
  bool remember = false;
  Credentials() = default;
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  Credentials(Credentials&&) = default;
  Credentials& operator=(Credentials&&) = default;
  ~Credentials();
};

// A body problem: the HTTP status and the error code for {"error": …}.
struct BodyError {
  int status = 400;
  std::string code;
};

// True when Content-Type is application/json (parameters such as charset=utf-8 allowed).
bool IsJsonContentType(const HttpRequest& request);
// True when the request has exactly one Content-Type and its media type (before any
// parameters) is `expected` (lower case), compared case-insensitively (RFC 9110 §8.3.1).
bool HasMediaType(const HttpRequest& request, std::string_view expected);

// 415 unsupported_media_type, 400 malformed_json (not an object, duplicate members, bad
// UTF-8, too deep), 400 invalid_request (username/password missing or not strings,
// remember not a boolean). Unknown members are ignored. Usernames are not normalised here.
bool ParseCredentials(const HttpRequest& request, Credentials& out, BodyError& error);

// Usernames: 1–64 bytes of [a-z0-9._@-] after ASCII lower-casing. Returns the normalised
// name, or "" when the name is not acceptable.
std::string NormalizeUsername(std::string_view username);

}  // namespace writ::server

#endif  // WRIT_SERVER_JSON_BODY_H_
