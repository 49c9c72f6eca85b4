// writ::Result<T>: the one error mechanism of libwrit. No exception crosses the API.
#ifndef WRIT_RESULT_H_
#define WRIT_RESULT_H_

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace writ {

// Why an operation failed. One flat list; the detail string says more, for logs only.
enum class ErrorCode {
  kMalformed,         // not a well-formed token, key or JSON document
  kTooLarge,          // input over a size, depth or count limit
  kUnsupportedAlg,    // an algorithm writ does not implement (including "none")
  kAlgMismatch,       // the token's alg differs from the selected key's (or no key has it)
  kUnknownKid,        // no key with the token's kid
  kAmbiguousKey,      // no kid, and several keys of the token's algorithm
  kBadSignature,      // signature or MAC does not verify
  kForbiddenHeader,   // jwk/jku/x5u/x5c/x5t, b64:false, zip, or crit naming an unknown member
  kExpired,           // now >= exp + skew (RFC 7519 §4.1.4)
  kNotYetValid,       // now < nbf - skew (RFC 7519 §4.1.5)
  kIssuedInFuture,    // iat later than now + skew
  kTooOld,            // iat older than the validator's maximum token age
  kIssuerMismatch,    // iss differs from the expected issuer
  kAudienceMismatch,  // aud does not contain the expected audience, or aud present but none expected
  kTypeMismatch,      // header typ differs from the expected type
  kMissingClaim,      // a required claim is absent
  kInvalidClaim,      // a registered claim has the wrong JSON type or range
  kWeakKey,           // key under the minimum strength (HMAC < hash length, RSA < 2048 bits)
  kInvalidKey,        // key unusable for the operation (public key asked to sign, bad JWK members, ...)
  kInvalidArgument,   // a caller error: contradictory settings, bad duration, ...
  kCrypto,            // the crypto library failed unexpectedly
  kIo,                // reading or writing a file or stream failed
  kStorage,           // a store backend failed
};

// The stable snake_case name of `code` ("malformed", "bad_signature", ...), as printed by the CLI.
std::string_view ErrorCodeName(ErrorCode code);

// A failure: a code for programs, a detail for people. Details may name claims or
// header members but never contain key material.
struct Error {
  ErrorCode code;
  std::string detail;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Result of an operation that yields nothing on success.
using Status = tl::expected<void, Error>;

// Fail(code, detail) builds the error side of a Result.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string detail) {
  return tl::unexpected<Error>(Error{code, std::move(detail)});
}

}  // namespace writ

#endif  // WRIT_RESULT_H_
