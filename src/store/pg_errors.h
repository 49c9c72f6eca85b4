// writ::store::pg error conversion: the one place where libpqxx exceptions become
// ErrorCode::kStorage, so that no driver exception crosses the Store interface.
//
// A detail names the step and the SQLSTATE (PostgreSQL Appendix A), never the server's
// message text: PostgreSQL's messages quote bound values ("Key (hash)=(\x…) already exists",
// "invalid input syntax for type bigint: \"…\""), and those may be token or password hashes.
// Only for a lost connection is libpq's own message kept (it names the host, never a
// value or the password).
#ifndef WRIT_STORE_PG_ERRORS_H_
#define WRIT_STORE_PG_ERRORS_H_

#include <string_view>

#include "writ/result.h"

namespace writ::store::pg {

// What the exception in flight says about its connection.
enum class ConnectionFate {
  kReusable,  // a statement failed; the connection is still good
  kBroken,    // the connection is lost (or a commit's outcome is unknown): discard it
};

// The kStorage error for the exception being handled: "postgres <step>: …". Call only from
// inside a catch block. Sets `fate`.
[[nodiscard]] tl::unexpected<Error> CurrentExceptionToError(std::string_view step,
                                                             ConnectionFate& fate);

}  // namespace writ::store::pg

#endif  // WRIT_STORE_PG_ERRORS_H_
