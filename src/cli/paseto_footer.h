// The footer `writ sign --footer` writes on a PASETO token: the user's JSON object with
// the key's PASERK id as kid, and never any key material (PASERK spec, "Footers").
#ifndef WRIT_CLI_PASETO_FOOTER_H_
#define WRIT_CLI_PASETO_FOOTER_H_

#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ::cli {

// {"kid":KID,...the members of user_json}. kInvalidArgument when `user_json` is not a
// strict JSON object (duplicates, bad UTF-8, depth over 4), names its own kid (writ sets
// it from the key), carries a PASERK of a key-carrying type in any member name or string
// (checked after JSON unescaping as well as on the raw text), or when the footer would be
// over kMaxPasetoFooterBytes.
Result<std::string> BuildPasetoFooter(std::string_view kid, std::string_view user_json);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_FOOTER_H_
