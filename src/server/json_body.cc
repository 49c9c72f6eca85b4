#include "server/json_body.h"

#include <sodium.h>

#include "core/strict_json.h"

namespace writ::server {
namespace {

constexpr std::size_t kMaxUsernameBytes = 64;

// Auth bodies are tiny, flat objects: a small depth is plenty.
internal::JsonLimits BodyLimits(std::size_t body_size) {
  internal::JsonLimits limits;
  limits.max_bytes = body_size;
  limits.max_depth = 4;
  return limits;
}

}  // namespace

Credentials::~Credentials() {
  if (!password.empty()) {
    sodium_memzero(password.data(), password.size());
  }
}

bool IsJsonContentType(const HttpRequest& request) { return HasMediaType(request, "application/json"); }

bool HasMediaType(const HttpRequest& request, std::string_view expected) {
  auto type = request.Header("content-type");
  if (!type || request.HeaderCount("content-type") != 1) {
    return false;
  }
  std::string_view media = type->substr(0, type->find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.remove_suffix(1);
  }
  if (media.size() != expected.size()) {
    return false;
  }
  for (std::size_t i = 0; i < media.size(); ++i) {
    char c = media[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != expected[i]) {
      return false;
    }
  }
  return true;
}

bool ParseCredentials(const HttpRequest& request, Credentials& out, BodyError& error) {
  if (!IsJsonContentType(request)) {
    error = {415, "unsupported_media_type"};
    return false;
  }
  auto object = internal::ParseStrictObject(request.body, BodyLimits(request.body.size() + 1));
  if (!object) {
    error = {400, "malformed_json"};
    return false;
  }
  std::string_view username;
  std::string_view password;
  if ((*object)["username"].get_string().get(username) != simdjson::SUCCESS ||
      (*object)["password"].get_string().get(password) != simdjson::SUCCESS) {
    error = {400, "invalid_request"};
    return false;
  }
  auto remember = (*object)["remember"];
  if (remember.error() == simdjson::SUCCESS) {
    bool value = false;
    if (remember.get_bool().get(value) != simdjson::SUCCESS) {
      error = {400, "invalid_request"};
      return false;
    }
    out.remember = value;
  }
  out.username = std::string(username);
  out.password = std::string(password);
  return true;
}

std::string NormalizeUsername(std::string_view username) {
  if (username.empty() || username.size() > kMaxUsernameBytes) {
    return "";
  }
  std::string normalized;
  normalized.reserve(username.size());
  for (char c : username) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                   c == '@' || c == '-';
    if (!allowed) {
      return "";
    }
    normalized.push_back(c);
  }
  return normalized;
}

}  // namespace writ::server
