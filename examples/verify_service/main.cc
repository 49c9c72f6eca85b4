// verify_service: a tiny upstream service that trusts writ's access tokens without calling
// writ on every request. It reads the __Host-writ-access cookie, verifies the token
// locally against the keys writ publishes at /.well-known/jwks.json (fetched and cached by
// writ::RemoteKeySet), and answers 200 with the user or 401.
//
//   verify_service --jwks https://auth.example.com/.well-known/jwks.json
//                  --issuer https://auth.example.com --audience app
//                  [--listen 127.0.0.1:8081] [--ca-file FILE]
//
// One request per connection, one connection at a time, on blocking sockets: an example of
// the library calls, not a web server. A real service does the same from its framework's
// request handler, with one RemoteKeySet and one Validator shared by every request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <writ/writ.h>

namespace {

constexpr std::string_view kAccessCookie = "__Host-writ-access";
constexpr std::size_t kMaxRequestHead = 16 * 1024;

struct Settings {
  std::string listen = "127.0.0.1:8081";
  std::string jwks_url;
  std::string issuer;
  std::string audience;
  std::string ca_file;
};

std::optional<Settings> ParseArguments(int argc, char** argv) {
  Settings settings;
  const std::map<std::string_view, std::string*> flags = {
      {"--listen", &settings.listen}, {"--jwks", &settings.jwks_url}, {"--issuer", &settings.issuer},
      {"--audience", &settings.audience}, {"--ca-file", &settings.ca_file}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const auto flag = flags.find(argv[i]);
    if (flag == flags.end()) {
      return std::nullopt;
    }
    *flag->second = argv[i + 1];
  }
  if (argc % 2 == 0 || settings.jwks_url.empty() || settings.issuer.empty() || settings.audience.empty()) {
    return std::nullopt;
  }
  return settings;
}

// The value of the cookie `name` in a Cookie header (RFC 6265 §4.2.1: "a=b; c=d"). Nothing
// when it is absent or appears twice: two values for one name are ambiguous, so neither
// is trusted.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  std::optional<std::string> found;
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name) {
      continue;
    }
    if (found) {
      return std::nullopt;
    }
    found = std::string(pair.substr(equals + 1));
  }
  return found;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct Request {
  std::string method;
  std::string cookie_header;  // all Cookie lines, joined with "; "
};

std::optional<Request> ReadRequest(int fd) {
  std::string head;
  char chunk[2048];
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (head.size() > kMaxRequestHead) {
      return std::nullopt;
    }
    const ssize_t received = recv(fd, chunk, sizeof chunk, 0);
    if (received <= 0) {
      return std::nullopt;
    }
    head.append(chunk, static_cast<std::size_t>(received));
  }
  Request request;
  request.method = head.substr(0, head.find(' '));
  std::size_t line = head.find("\r\n") + 2;
  for (std::size_t end; (end = head.find("\r\n", line)) != std::string::npos && end > line; line = end + 2) {
    std::string_view field(head.data() + line, end - line);
    const std::size_t colon = field.find(':');
    std::string name(field.substr(0, colon));
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (name == "cookie" && colon != std::string_view::npos) {
      std::string_view value = field.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      request.cookie_header += (request.cookie_header.empty() ? "" : "; ") + std::string(value);
    }
  }
  return request;
}

void SendResponse(int fd, int status, std::string_view reason, const std::string& body) {
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                         "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
                         "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < response.size()) {
    const ssize_t n = send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

// 200 with the verified user, or 401. The reason goes to the log, never to the client.
void Handle(int fd, writ::RemoteKeySet& keys, const writ::Validator& validator) {
  const std::optional<Request> request = ReadRequest(fd);
  if (!request) {
    return;
  }
  if (request->method != "GET") {
    SendResponse(fd, 405, "Method Not Allowed", "{\"error\":\"method_not_allowed\"}");
    return;
  }
  const std::optional<std::string> token = CookieValue(request->cookie_header, kAccessCookie);
  if (!token) {
    std::fprintf(stderr, "401: no %s cookie, or two\n", std::string(kAccessCookie).c_str());
    SendResponse(fd, 401, "Unauthorized", "{\"error\":\"invalid_token\"}");
    return;
  }
  // Verify selects the key by the token's kid, refetches once (with a cooldown) when the
  // kid is new, and never follows a URL from the token.
  writ::Result<writ::VerifiedJwt> verified = keys.Verify(*token, validator);
  if (!verified) {
    std::fprintf(stderr, "401: %s: %s\n", std::string(writ::ErrorCodeName(verified.error().code)).c_str(),
                 verified.error().detail.c_str());
    SendResponse(fd, 401, "Unauthorized", "{\"error\":\"invalid_token\"}");
    return;
  }
  std::string roles = "[";
  for (std::string_view role : verified->StringListClaim("roles").value_or(std::vector<std::string_view>{})) {
    roles += (roles.size() > 1 ? "," : "") + JsonString(role);
  }
  roles += "]";
  SendResponse(fd, 200, "OK",
               "{\"user\":{\"sub\":" + JsonString(verified->subject().value_or("")) +
                   ",\"sid\":" + JsonString(verified->StringClaim("sid").value_or("")) +
                   ",\"name\":" + JsonString(verified->StringClaim("name").value_or("")) +
                   ",\"roles\":" + roles + "}}");
}

int Listen(const std::string& host_port) {
  const std::size_t colon = host_port.rfind(':');
  sockaddr_in address{};
  address.sin_family = AF_INET;
  if (colon == std::string::npos || inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &address.sin_addr) != 1) {
    return -1;
  }
  address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(host_port.c_str() + colon + 1)));
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Settings> settings = ParseArguments(argc, argv);
  if (!settings) {
    std::fprintf(stderr,
                 "usage: verify_service --jwks URL --issuer ISS --audience AUD [--listen IP:PORT] "
                 "[--ca-file PEM]\n");
    return 2;
  }
  writ::RemoteKeySetOptions options;
  options.url = settings->jwks_url;
  options.ca_file = settings->ca_file;
  auto keys = writ::RemoteKeySet::Create(options);
  // writ's access tokens (RFC 9068): typ at+jwt, our issuer and audience, a subject and a
  // session; exp is required by default.
  auto validator = writ::ValidatorBuilder()
                       .ExpectIssuer(settings->issuer)
                       .ExpectAudience(settings->audience)
                       .ExpectType("at+jwt")
                       .RequireClaim("sub")
                       .RequireClaim("sid")
                       .ClockSkew(std::chrono::seconds(30))
                       .Build();
  if (!keys || !validator) {
    const writ::Error& error = !keys ? keys.error() : validator.error();
    std::fprintf(stderr, "verify_service: %s\n", error.detail.c_str());
    return 2;
  }
  const int listener = Listen(settings->listen);
  if (listener < 0) {
    std::fprintf(stderr, "verify_service: cannot listen on %s\n", settings->listen.c_str());
    return 1;
  }
  std::fprintf(stderr, "verify_service: listening on %s, keys from %s\n", settings->listen.c_str(),
               settings->jwks_url.c_str());
  for (;;) {
    const int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) {
      continue;
    }
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    Handle(fd, **keys, *validator);
    close(fd);
  }
}
