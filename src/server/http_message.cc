// Implementation of the HttpRequest / HttpResponse helpers (see http_message.h).
#include "server/http_message.h"

#include <algorithm>
#include <cctype>

#include "core/json_writer.h"

namespace writ::server {
namespace {

// ASCII case-insensitive comparison; field names are case-insensitive (RFC 9110 §5.1).
bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

std::string_view HttpRequest::Path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [field_name, value] : headers) {
    if (field_name == name) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

std::size_t HttpRequest::HeaderCount(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(
      headers.begin(), headers.end(), [name](const auto& field) { return field.first == name; }));
}

HttpResponse& HttpResponse::SetHeader(std::string name, std::string value) {
  std::erase_if(headers,
                [&name](const auto& field) { return EqualsIgnoreCase(field.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

HttpResponse& HttpResponse::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  for (const auto& [field_name, value] : headers) {
    if (EqualsIgnoreCase(field_name, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

HttpResponse JsonResponse(int status, std::string json_body) {
  HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json");
  response.body = std::move(json_body);
  return response;
}

HttpResponse ErrorResponse(int status, std::string_view error_code) {
  std::string body = "{";
  writ::internal::AppendStringMember(body, "error", error_code);
  body += '}';
  return JsonResponse(status, std::move(body));
}

}  // namespace writ::server
