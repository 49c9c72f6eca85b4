// Implementation of MakeTlsServerContext (see tls_context.h).
#include "server/tls_context.h"

#include <exception>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace writ::server {
namespace {

namespace asio = boost::asio;

// TLS 1.2 suites (TLS 1.3 suites are OpenSSL's defaults, all AEAD): ECDHE key exchange and
// AEAD ciphers only, as in Mozilla's "intermediate" profile (RFC 9325 §4.2).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Fails with `code`, dropping OpenSSL's queued errors so they do not leak into later calls.
tl::unexpected<Error> FailTls(ErrorCode code, std::string detail) {
  ERR_clear_error();
  return Fail(code, std::move(detail));
}

// RFC 8996: TLS 1.0 and 1.1 are deprecated; RFC 9325 §3.1.1: no renegotiation or compression.
Status RestrictProtocol(asio::ssl::context& context) {
  SSL_CTX* native = context.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return FailTls(ErrorCode::kCrypto, "cannot require TLS 1.2 or later");
  }
  SSL_CTX_set_options(native, SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                                  SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return FailTls(ErrorCode::kCrypto, "cannot set the TLS 1.2 cipher suites");
  }
  return {};
}

Status LoadMaterial(asio::ssl::context& context, const std::string& certificate_chain_file,
                    std::string_view private_key_pem) {
  boost::system::error_code error;
  context.use_certificate_chain_file(certificate_chain_file, error);
  if (error) {
    return FailTls(ErrorCode::kInvalidKey,
                   "TLS certificate chain " + certificate_chain_file + ": " + error.message());
  }
  // An encrypted key would make OpenSSL prompt on the terminal; an empty password refuses it.
  context.set_password_callback(
      [](std::size_t, asio::ssl::context::password_purpose) { return std::string(); }, error);
  context.use_private_key(asio::const_buffer(private_key_pem.data(), private_key_pem.size()),
                          asio::ssl::context::pem, error);
  if (error) {
    // The message names OpenSSL's reason only ("no start line", ...), never key bytes.
    return FailTls(ErrorCode::kInvalidKey, "TLS private key: " + error.message());
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return FailTls(ErrorCode::kInvalidKey, "TLS private key does not match the certificate");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<asio::ssl::context>> MakeTlsServerContext(
    const std::string& certificate_chain_file, std::string_view private_key_pem) {
  try {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    if (auto restricted = RestrictProtocol(*context); !restricted) {
      return tl::unexpected(std::move(restricted.error()));
    }
    if (auto loaded = LoadMaterial(*context, certificate_chain_file, private_key_pem); !loaded) {
      return tl::unexpected(std::move(loaded.error()));
    }
    return context;
  } catch (const std::exception& exception) {
    return FailTls(ErrorCode::kCrypto, std::string("TLS context: ") + exception.what());
  }
}

}  // namespace writ::server
