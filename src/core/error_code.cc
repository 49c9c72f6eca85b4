#include "writ/result.h"

namespace writ {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed: return "malformed";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kUnsupportedAlg: return "unsupported_alg";
    case ErrorCode::kAlgMismatch: return "alg_mismatch";
    case ErrorCode::kUnknownKid: return "unknown_kid";
    case ErrorCode::kAmbiguousKey: return "ambiguous_key";
    case ErrorCode::kBadSignature: return "bad_signature";
    case ErrorCode::kForbiddenHeader: return "forbidden_header";
    case ErrorCode::kExpired: return "expired";
    case ErrorCode::kNotYetValid: return "not_yet_valid";
    case ErrorCode::kIssuedInFuture: return "issued_in_future";
    case ErrorCode::kTooOld: return "too_old";
    case ErrorCode::kIssuerMismatch: return "issuer_mismatch";
    case ErrorCode::kAudienceMismatch: return "audience_mismatch";
    case ErrorCode::kTypeMismatch: return "type_mismatch";
    case ErrorCode::kMissingClaim: return "missing_claim";
    case ErrorCode::kInvalidClaim: return "invalid_claim";
    case ErrorCode::kWeakKey: return "weak_key";
    case ErrorCode::kInvalidKey: return "invalid_key";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kCrypto: return "crypto_error";
    case ErrorCode::kIo: return "io_error";
    case ErrorCode::kStorage: return "storage_error";
  }
  return "unknown";
}

}  // namespace writ
