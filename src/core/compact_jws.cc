#include "core/compact_jws.h"

#include <string>

#include "writ/verifier.h"

namespace writ::internal {

Result<CompactParts> SplitCompact(std::string_view token) {
  if (token.size() > kMaxTokenBytes) {
    return Fail(ErrorCode::kTooLarge, "token longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  }
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Fail(ErrorCode::kMalformed, "a compact JWS has exactly three parts");
  }
  CompactParts parts;
  parts.header = token.substr(0, first);
  parts.payload = token.substr(first + 1, second - first - 1);
  parts.signature = token.substr(second + 1);
  parts.signing_input = token.substr(0, second);
  if (parts.header.empty() || parts.payload.empty()) {
    return Fail(ErrorCode::kMalformed, "empty header or payload");
  }
  return parts;
}

}  // namespace writ::internal
