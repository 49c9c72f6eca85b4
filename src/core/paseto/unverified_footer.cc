#include "core/base64url.h"
#include "writ/paseto.h"

namespace writ::paseto {

Result<std::string> UnverifiedFooter(std::string_view token) {
  if (token.size() > kMaxPasetoBytes) {
    return Fail(ErrorCode::kTooLarge, "token longer than " + std::to_string(kMaxPasetoBytes) + " bytes");
  }
  // v3.local.BODY[.FOOTER]: the footer is the fourth dot-separated part.
  std::size_t dot = std::string_view::npos;
  std::size_t start = 0;
  for (int part = 0; part < 3; ++part) {
    dot = token.find('.', start);
    if (dot == std::string_view::npos) {
      return std::string();
    }
    start = dot + 1;
  }
  const std::string_view footer = token.substr(start);
  if (footer.find('.') != std::string_view::npos || footer.empty() ||
      internal::Base64UrlDecodedSize(footer.size()) > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kMalformed, "footer part is malformed or too large");
  }
  auto decoded = internal::Base64UrlDecode(footer);
  if (!decoded) {
    return Fail(ErrorCode::kMalformed, "footer is not canonical base64url");
  }
  return std::move(*decoded);
}

}  // namespace writ::paseto
