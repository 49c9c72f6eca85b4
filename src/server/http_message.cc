// Implementation of the HttpRequest / HttpResponse helpers (see http_message.h).
#include "server/http_message.h"

#include <algorithm>
#include <cctype>

#include "core/json_writer.h"
#include "server/clean_text.h"

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

namespace {

// Calls visit(value) for each `name=value` (or bare `name`) of the target's query.
template <typename Visit>
void ForEachQueryParam(std::string_view target, std::string_view name, Visit visit) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) {
    return;
  }
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      visit(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
}

}  // namespace

std::optional<std::string_view> HttpRequest::QueryParam(std::string_view name) const {
  std::optional<std::string_view> found;
  std::size_t count = 0;
  ForEachQueryParam(target, name, [&](std::string_view value) {
    found = value;
    ++count;
  });
  return count == 1 ? found : std::nullopt;
}

std::optional<std::string> HttpRequest::DecodedQueryParam(std::string_view name) const {
  auto raw = QueryParam(name);
  if (!raw) {
    return std::nullopt;
  }
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string value;
  value.reserve(raw->size());
  for (std::size_t i = 0; i < raw->size(); ++i) {
    char c = (*raw)[i];
    if (c == '%') {
      const int high = i + 2 < raw->size() ? hex((*raw)[i + 1]) : -1;
      const int low = i + 2 < raw->size() ? hex((*raw)[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return std::nullopt;
    }
    value.push_back(c);
  }
  if (!IsValidUtf8(value)) {
    return std::nullopt;
  }
  return value;
}

std::size_t HttpRequest::QueryParamCount(std::string_view name) const {
  std::size_t count = 0;
  ForEachQueryParam(target, name, [&](std::string_view) { ++count; });
  return count;
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
