// writ's rules for PASETO footers: never key material, and a kid only as a PASERK id.
#ifndef WRIT_CORE_PASETO_FOOTER_H_
#define WRIT_CORE_PASETO_FOOTER_H_

#include <optional>
#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ::internal {

// The kid a footer names, if any. kForbiddenHeader when the footer carries a PASERK of a
// key-carrying type anywhere (PASERK spec: a footer may identify a key, never contain one);
// for a footer that is a JSON object (it starts with '{'): strict JSON, and a kid member
// that is a string starting with `id_prefix` ("k4.lid.", "k3.pid.", ...), kMalformed
// otherwise. Other footers are opaque and name no key.
Result<std::optional<std::string>> FooterKid(std::string_view footer, std::string_view id_prefix);

// The footer writ writes: {"kid":KID} followed by the members of `extra_members`, a JSON
// object or empty. kInvalidArgument when `extra_members` is not a strict JSON object, sets
// its own kid, carries key material in any name or string (after unescaping), or makes
// the footer longer than kMaxPasetoFooterBytes.
Result<std::string> BuildFooter(std::string_view kid, std::string_view extra_members);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_FOOTER_H_
