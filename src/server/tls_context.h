// The TLS server context of `writ serve`: TLS 1.2 or later, forward-secret AEAD suites only.
#ifndef WRIT_SERVER_TLS_CONTEXT_H_
#define WRIT_SERVER_TLS_CONTEXT_H_

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

#include "writ/result.h"

namespace writ::server {

// MakeTlsServerContext returns a server context holding the PEM certificate chain read from
// `certificate_chain_file` and the PEM private key `private_key_pem`. Fails with kInvalidKey
// when the chain cannot be read or used, the key does not parse (encrypted keys are refused,
// never prompted for), or the key does not match the certificate; kCrypto when OpenSSL
// refuses the protocol settings. Error details never contain key material.
[[nodiscard]] Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsServerContext(
    const std::string& certificate_chain_file, std::string_view private_key_pem);

}  // namespace writ::server

#endif  // WRIT_SERVER_TLS_CONTEXT_H_
