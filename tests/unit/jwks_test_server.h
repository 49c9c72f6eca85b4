// A JWK Set server for the RemoteKeySet tests: a real HTTP (or HTTPS) listener on
// 127.0.0.1 port 0, one connection at a time, answering with whatever the test set last
// (status, headers, body, a held answer, no Content-Length) and counting requests.
#ifndef WRIT_TESTS_UNIT_JWKS_TEST_SERVER_H_
#define WRIT_TESTS_UNIT_JWKS_TEST_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace writ::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased

  std::string Header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

struct CannedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool content_length = true;  // false: the body ends when the connection closes
  bool hold = false;           // answer only after Release() (or never, for timeouts)
};

// A self-signed P-256 certificate for 127.0.0.1 and localhost, made at run time and
// written to a temporary PEM file the client can trust (no key is ever committed).
class TestCertificate {
 public:
  TestCertificate() {
    static int counter = 0;
    file_ = std::filesystem::temp_directory_path() /
            ("writ-jwks-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".pem");
    key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    certificate_ = X509_new();
    X509_set_version(certificate_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate_), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate_), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate_), 3600);
    X509_set_pubkey(certificate_, key_);
    X509_NAME* name = X509_get_subject_name(certificate_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(certificate_, name);
    X509_EXTENSION* names = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name,
                                                "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(certificate_, names, -1);
    X509_EXTENSION_free(names);
    X509_sign(certificate_, key_, EVP_sha256());
    FILE* out = std::fopen(file_.c_str(), "w");
    PEM_write_X509(out, certificate_);
    std::fclose(out);
  }
  ~TestCertificate() {
    X509_free(certificate_);
    EVP_PKEY_free(key_);
    std::filesystem::remove(file_);
  }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  std::string file() const { return file_.string(); }

  SSL_CTX* NewServerContext() const {
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(context, certificate_);
    SSL_CTX_use_PrivateKey(context, key_);
    return context;
  }

 private:
  std::filesystem::path file_;
  EVP_PKEY* key_ = nullptr;
  X509* certificate_ = nullptr;
};

class JwksTestServer {
 public:
  using Responder = std::function<CannedResponse(const RecordedRequest&)>;

  // Plain HTTP, or TLS with `certificate`.
  explicit JwksTestServer(const TestCertificate* certificate = nullptr) {
    signal(SIGPIPE, SIG_IGN);  // a client that gave up must not end the test binary
    if (certificate != nullptr) {
      tls_ = certificate->NewServerContext();
    }
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 16);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~JwksTestServer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    shutdown(listener_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    close(listener_);
    if (tls_ != nullptr) {
      SSL_CTX_free(tls_);
    }
  }
  JwksTestServer(const JwksTestServer&) = delete;
  JwksTestServer& operator=(const JwksTestServer&) = delete;

  std::uint16_t port() const { return port_; }

  std::string Url(const std::string& path = "/jwks.json", const std::string& host = "127.0.0.1") const {
    return std::string(tls_ != nullptr ? "https://" : "http://") + host + ":" + std::to_string(port_) + path;
  }

  // Every later request gets `response`.
  void Respond(CannedResponse response) {
    RespondWith([response](const RecordedRequest&) { return response; });
  }
  void RespondWith(Responder responder) {
    std::lock_guard lock(mutex_);
    responder_ = std::move(responder);
  }

  int requests() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(recorded_.size());
  }
  RecordedRequest last_request() const {
    std::lock_guard lock(mutex_);
    return recorded_.empty() ? RecordedRequest{} : recorded_.back();
  }

  // Waits (10 s at most, a safety net) until `count` requests have arrived.
  bool WaitForRequests(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return static_cast<int>(recorded_.size()) >= count; });
  }

  // Lets held responses go.
  void Release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
  }

 private:
  // One connection's byte stream, plain or TLS.
  struct Stream {
    int fd = -1;
    SSL* ssl = nullptr;
    long Read(char* buffer, std::size_t size) {
      return ssl != nullptr ? SSL_read(ssl, buffer, static_cast<int>(size))
                            : static_cast<long>(recv(fd, buffer, size, 0));
    }
    void Write(const std::string& bytes) {
      std::size_t done = 0;
      while (done < bytes.size()) {
        const long sent = ssl != nullptr
                              ? SSL_write(ssl, bytes.data() + done, static_cast<int>(bytes.size() - done))
                              : static_cast<long>(send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL));
        if (sent <= 0) {
          return;
        }
        done += static_cast<std::size_t>(sent);
      }
    }
  };

  void AcceptLoop() {
    for (;;) {
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) {
        return;  // shut down
      }
      timeval timeout{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      Stream stream{fd, nullptr};
      if (tls_ != nullptr) {
        stream.ssl = SSL_new(tls_);
        SSL_set_fd(stream.ssl, fd);
        if (SSL_accept(stream.ssl) == 1) {
          Serve(stream);
          SSL_shutdown(stream.ssl);
        }
        SSL_free(stream.ssl);
      } else {
        Serve(stream);
      }
      close(fd);
    }
  }

  void Serve(Stream& stream) {
    std::string head;
    char chunk[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      const long received = stream.Read(chunk, sizeof chunk);
      if (received <= 0) {
        return;
      }
      head.append(chunk, static_cast<std::size_t>(received));
    }
    RecordedRequest request = Parse(head);
    CannedResponse response;
    {
      std::unique_lock lock(mutex_);
      recorded_.push_back(request);
      response = responder_ ? responder_(request) : CannedResponse{404, {}, "", true, false};
      changed_.notify_all();
      if (response.hold) {
        changed_.wait(lock, [&] { return released_ || stopping_; });
      }
    }
    stream.Write(Serialise(response));
  }

  static RecordedRequest Parse(const std::string& head) {
    RecordedRequest request;
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const std::size_t first_space = request_line.find(' ');
    request.method = request_line.substr(0, first_space);
    request.target = request_line.substr(first_space + 1, request_line.rfind(' ') - first_space - 1);
    std::size_t line = line_end + 2;
    while ((line_end = head.find("\r\n", line)) != std::string::npos && line_end > line) {
      const std::size_t colon = head.find(':', line);
      std::string name = head.substr(line, colon - line);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::size_t value = colon + 1;
      while (value < line_end && head[value] == ' ') {
        ++value;
      }
      request.headers[name] = head.substr(value, line_end - value);
      line = line_end + 2;
    }
    return request;
  }

  static std::string Serialise(const CannedResponse& response) {
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Canned\r\nConnection: close\r\n";
    for (const auto& [name, value] : response.headers) {
      out += name + ": " + value + "\r\n";
    }
    if (response.content_length) {
      out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    }
    return out + "\r\n" + response.body;
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  SSL_CTX* tls_ = nullptr;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Responder responder_;
  std::vector<RecordedRequest> recorded_;
  bool released_ = false;
  bool stopping_ = false;
};

}  // namespace writ::testing

#endif  // WRIT_TESTS_UNIT_JWKS_TEST_SERVER_H_
