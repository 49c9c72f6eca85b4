#include "core/http_fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

namespace writ::internal {
namespace {

constexpr std::size_t kMaxUrlBytes = 4096;
constexpr std::size_t kMaxEntityTagBytes = 256;

struct UrlHandleDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
struct EasyHandleDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// curl_global_init once per process, before the first handle; never cleaned up, since
// other threads or libraries may still use libcurl at exit.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::optional<std::string> UrlPart(CURLU* handle, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(handle, part, &value, 0) != CURLUE_OK || value == nullptr) {
    return std::nullopt;
  }
  std::string copy(value);
  curl_free(value);
  return copy;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// localhost (which libcurl resolves to loopback itself, RFC 6761 §6.3), 127.0.0.0/8, [::1].
bool IsLoopbackHost(const std::string& host) {
  if (EqualsIgnoringCase(host, "localhost")) {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr v6{};
    const std::string inner = host.substr(1, host.size() - 2);
    return inet_pton(AF_INET6, inner.c_str(), &v6) == 1 &&
           std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
bool IsEntityTag(std::string_view tag) {
  if (tag.starts_with("W/")) {
    tag.remove_prefix(2);
  }
  if (tag.size() < 2 || tag.size() > kMaxEntityTagBytes || tag.front() != '"' || tag.back() != '"') {
    return false;
  }
  for (char c : tag.substr(1, tag.size() - 2)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte == 0x22 || byte == 0x7f) {
      return false;
    }
  }
  return true;
}

struct BodySink {
  std::string body;
  std::size_t limit = 0;
  bool too_large = false;
};

// Returning less than was offered aborts the transfer (CURLE_WRITE_ERROR).
std::size_t WriteBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const std::size_t bytes = size * count;
  if (bytes > sink->limit - sink->body.size()) {
    sink->too_large = true;
    return 0;
  }
  sink->body.append(data, bytes);
  return bytes;
}

std::vector<std::string> HeaderValues(CURL* easy, const char* name) {
  std::vector<std::string> values;
  curl_header* header = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) {
    return values;
  }
  const std::size_t amount = header->amount;
  for (std::size_t index = 0; index < amount; ++index) {
    if (curl_easy_header(easy, name, index, CURLH_HEADER, -1, &header) == CURLHE_OK) {
      values.emplace_back(header->value);
    }
  }
  return values;
}

// Everything but the request's own headers and sink: the hardening of every GET.
void SetTransferOptions(CURL* easy, const HttpGetRequest& request) {
  curl_easy_setopt(easy, CURLOPT_URL, request.url.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, request.url.https ? "https" : "http");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!request.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, request.ca_file.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for name lookups
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_body_bytes));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "writ");
  if (request.url.loopback) {
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
  }
}

Error TransferError(CURLcode code, const BodySink& sink, const HttpGetRequest& request,
                    const char* detail) {
  const std::string where = "GET " + request.url.url + ": ";
  if ((code == CURLE_WRITE_ERROR && sink.too_large) || code == CURLE_FILESIZE_EXCEEDED) {
    return {ErrorCode::kTooLarge, where + "body over " + std::to_string(request.max_body_bytes) + " bytes"};
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return {ErrorCode::kIo, where + "timed out after " + std::to_string(request.timeout.count()) + " ms"};
  }
  std::string message = where + curl_easy_strerror(code);
  if (detail[0] != '\0') {
    message += std::string(" (") + detail + ")";
  }
  return {ErrorCode::kIo, message};
}

}  // namespace

Result<FetchUrl> CheckFetchUrl(std::string_view url, bool allow_loopback_http) {
  if (url.size() > kMaxUrlBytes) {
    return Fail(ErrorCode::kInvalidArgument, "URL longer than " + std::to_string(kMaxUrlBytes) + " bytes");
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return Fail(ErrorCode::kInvalidArgument, "URL contains a space or control character");
    }
  }
  InitCurlOnce();
  const std::unique_ptr<CURLU, UrlHandleDeleter> handle(curl_url());
  if (!handle) {
    return Fail(ErrorCode::kIo, "libcurl could not allocate a URL handle");
  }
  if (curl_url_set(handle.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return Fail(ErrorCode::kInvalidArgument, "not an absolute http(s) URL");
  }
  const auto scheme = UrlPart(handle.get(), CURLUPART_SCHEME);
  const auto host = UrlPart(handle.get(), CURLUPART_HOST);
  const auto normalised = UrlPart(handle.get(), CURLUPART_URL);
  if (!scheme || !host || !normalised) {
    return Fail(ErrorCode::kInvalidArgument, "URL without a scheme or host");
  }
  if (UrlPart(handle.get(), CURLUPART_USER) || UrlPart(handle.get(), CURLUPART_PASSWORD)) {
    return Fail(ErrorCode::kInvalidArgument, "URL carries user information (credentials)");
  }
  FetchUrl checked{*normalised, true, IsLoopbackHost(*host)};
  if (*scheme == "https") {
    return checked;
  }
  if (*scheme != "http") {
    return Fail(ErrorCode::kInvalidArgument, "scheme " + *scheme + " refused: https only");
  }
  if (!checked.loopback || !allow_loopback_http) {
    return Fail(ErrorCode::kInvalidArgument,
                "plain http refused: https required (http only to a loopback host, when allowed)");
  }
  checked.https = false;
  return checked;
}

Result<HttpGetResponse> HttpGet(const HttpGetRequest& request) {
  InitCurlOnce();
  const std::unique_ptr<CURL, EasyHandleDeleter> easy(curl_easy_init());
  if (!easy) {
    return Fail(ErrorCode::kIo, "libcurl could not allocate a transfer");
  }
  SetTransferOptions(easy.get(), request);
  curl_slist* raw_headers = nullptr;
  if (!request.accept.empty()) {
    raw_headers = curl_slist_append(raw_headers, ("Accept: " + request.accept).c_str());
  }
  if (request.if_none_match && IsEntityTag(*request.if_none_match)) {
    raw_headers = curl_slist_append(raw_headers, ("If-None-Match: " + *request.if_none_match).c_str());
  }
  const std::unique_ptr<curl_slist, HeaderListDeleter> headers(raw_headers);
  curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
  BodySink sink;
  sink.limit = request.max_body_bytes;
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &sink);
  char error_detail[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_detail);

  const CURLcode code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) {
    return tl::unexpected(TransferError(code, sink, request, error_detail));
  }
  HttpGetResponse response;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(sink.body);
  response.cache_control = HeaderValues(easy.get(), "Cache-Control");
  const std::vector<std::string> etags = HeaderValues(easy.get(), "ETag");
  if (etags.size() == 1 && IsEntityTag(etags.front())) {
    response.etag = etags.front();
  }
  return response;
}

}  // namespace writ::internal
