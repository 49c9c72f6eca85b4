// libwrit: misuse-resistant JWS/JWT. Include this, or the single headers.
#ifndef WRIT_WRIT_H_
#define WRIT_WRIT_H_

#include "writ/alg.h"
#include "writ/claims_builder.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/key_set.h"
#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_keys.h"
#include "writ/paseto_reader.h"
#include "writ/paseto_writer.h"
#include "writ/remote_key_set.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"
#include "writ/signer.h"
#include "writ/unverified.h"
#include "writ/validator.h"
#include "writ/verified_claims.h"
#include "writ/verified_jwt.h"
#include "writ/verified_paseto.h"
#include "writ/verifier.h"

#endif  // WRIT_WRIT_H_
