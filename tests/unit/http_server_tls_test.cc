// HttpServer with TLS: a self-signed certificate made at run time, an Asio SSL client,
// and refusal of bad key material.
#include "http_server_test_util.h"

namespace writ::server {
namespace {

using namespace test_support;  // NOLINT(build/namespaces): test helpers only

// A PEM armour line around text that is no key at all (built here so that no committed
// file carries anything shaped like a private key).
const std::string kPemArmour = std::string("-----BEGIN ") + "PRIVATE KEY-----\n";

// A self-signed P-256 certificate made at test run time (no key is ever committed).
struct TlsFiles {
  TlsFiles() {
    static int counter = 0;
    directory = std::filesystem::temp_directory_path() /
                ("writ-http-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(directory);
    chain_file = (directory / "chain.pem").string();
  }
  ~TlsFiles() { std::filesystem::remove_all(directory); }
  TlsFiles(const TlsFiles&) = delete;
  TlsFiles& operator=(const TlsFiles&) = delete;

  std::filesystem::path directory;
  std::string chain_file;
  std::string certificate_pem;
  std::string key_pem;
};

std::string ToPem(const std::function<int(BIO*)>& write) {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string pem;
  if (write(bio) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(bio);
  return pem;
}

std::string NewKeyPem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  std::string pem = ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  EVP_PKEY_free(key);
  return pem;
}

void MakeSelfSigned(TlsFiles& files) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());
  files.certificate_pem = ToPem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate); });
  files.key_pem = ToPem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  X509_free(certificate);
  EVP_PKEY_free(key);
  std::ofstream(files.chain_file) << files.certificate_pem;
}

TEST(HttpServerTls, ServesGetOverTls) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem = files.key_pem;
  auto server = StartServer(std::make_shared<TestHandler>(), options);
  ASSERT_NE(server, nullptr);

  namespace asio = boost::asio;
  asio::io_context io;
  asio::ssl::context client_context(asio::ssl::context::tls_client);
  client_context.add_certificate_authority(
      asio::buffer(files.certificate_pem.data(), files.certificate_pem.size()));
  client_context.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, client_context);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), server->port()});
  stream.handshake(asio::ssl::stream_base::client);
  EXPECT_GE(SSL_version(stream.native_handle()), TLS1_2_VERSION);
  const std::string request = Get("/secure", "Connection: close\r\n");
  asio::write(stream, asio::buffer(request));
  std::string reply;
  boost::system::error_code error;
  asio::read(stream, asio::dynamic_buffer(reply), error);  // until the server closes
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 200");
  EXPECT_NE(reply.find("X-Tls: 1\r\n"), std::string::npos);
  EXPECT_NE(reply.find("GET /secure\n"), std::string::npos);
}

TEST(HttpServerTls, UnparsableKeyFailsWithInvalidKey) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem =
      kPemArmour + "not a key\n";
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
}

TEST(HttpServerTls, KeyOfAnotherCertificateFailsWithInvalidKey) {
  TlsFiles files;
  MakeSelfSigned(files);
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = files.chain_file;
  options.tls_private_key_pem = NewKeyPem();
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(server.error().detail.find("PRIVATE KEY"), std::string::npos);
}

TEST(HttpServerTls, MissingChainFileFailsWithInvalidKey) {
  HttpServerOptions options = SmallOptions();
  options.tls_certificate_chain_file = "/nonexistent/writ-chain.pem";
  options.tls_private_key_pem = NewKeyPem();
  const auto server = HttpServer::Create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidKey);
}

}  // namespace
}  // namespace writ::server
