#include "core/paseto/token_format.h"

#include "core/base64url.h"
#include "writ/paseto.h"

namespace writ::internal {

Result<PasetoParts> SplitPaseto(std::string_view token, std::string_view header, std::size_t min_body) {
  if (token.size() > kMaxPasetoBytes) {
    return Fail(ErrorCode::kTooLarge, "token longer than " + std::to_string(kMaxPasetoBytes) + " bytes");
  }
  if (token.substr(0, header.size()) != header) {
    // Version and purpose come from the key's type; a token of any other kind is refused
    // before anything in it is decoded.
    return Fail(ErrorCode::kMalformed, "token is not " + std::string(header.substr(0, header.size() - 1)));
  }
  const std::string_view rest = token.substr(header.size());
  const std::size_t dot = rest.find('.');
  const std::string_view body = rest.substr(0, dot);
  const std::string_view footer = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  if (dot != std::string_view::npos && (footer.empty() || footer.find('.') != std::string_view::npos)) {
    return Fail(ErrorCode::kMalformed, "a PASETO token has at most four parts, none empty");
  }
  if (Base64UrlDecodedSize(footer.size()) > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kTooLarge, "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  PasetoParts parts;
  if (!Base64UrlDecode(body, parts.body) || !Base64UrlDecode(footer, parts.footer)) {
    return Fail(ErrorCode::kMalformed, "token is not canonical base64url");
  }
  if (parts.body.size() < min_body) {
    return Fail(ErrorCode::kMalformed, "token body is shorter than its nonce and tag");
  }
  return parts;
}

std::string JoinPaseto(std::string_view header, std::string_view body, std::string_view footer) {
  std::string token(header);
  Base64UrlEncodeAppend(body, token);
  if (!footer.empty()) {
    token += '.';
    Base64UrlEncodeAppend(footer, token);
  }
  return token;
}

}  // namespace writ::internal
