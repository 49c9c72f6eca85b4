#include "server/web_pages.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base64url.h"
#include "core/sodium_init.h"
#include "server/web_assets.h"

namespace writ::server {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;
constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::string_view kJavaScript = "text/javascript; charset=utf-8";  // RFC 9239 §6
constexpr std::string_view kCss = "text/css; charset=utf-8";

// RFC 9110 §8.8.3: a strong validator, "…" of BLAKE2b-128 over the bytes.
std::string StrongEtag(std::string_view body) {
  internal::EnsureSodium();
  std::array<std::uint8_t, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  return "\"" + internal::Base64UrlEncode(std::span<const std::uint8_t>(digest)) + "\"";
}

}  // namespace

const std::vector<WebAssetSpec>& WebPages::Specs() {
  static const std::vector<WebAssetSpec> specs = {
      {"/account", "account.html", kHtml},
      {"/admin", "admin.html", kHtml},
      {"/assets/account.js", "account.js", kJavaScript},
      {"/assets/admin.js", "admin.js", kJavaScript},
      {"/assets/login.js", "login.js", kJavaScript},
      {"/assets/page.js", "page.js", kJavaScript},
      {"/assets/signup.js", "signup.js", kJavaScript},
      {"/assets/writ-client.js", "writ-client.js", kJavaScript},
      {"/assets/writ.css", "writ.css", kCss},
      {"/login", "login.html", kHtml},
      {"/signup", "signup.html", kHtml},
  };
  return specs;
}

WebPages::Asset WebPages::MakeAsset(const WebAssetSpec& spec, std::string body) {
  std::string etag = StrongEtag(body);
  return Asset{&spec, std::move(body), std::move(etag)};
}

WebPages WebPages::Embedded() {
  std::vector<Asset> assets;
  for (const WebAssetSpec& spec : Specs()) {
    const auto& files = EmbeddedWebFiles();
    auto file = std::find_if(files.begin(), files.end(),
                             [&](const EmbeddedWebFile& embedded) { return embedded.name == spec.file; });
    // The build embeds every file of web/ (src/server/CMakeLists.txt); a missing one is a
    // build mistake, answered 404 rather than crashing the server.
    if (file != files.end()) {
      assets.push_back(MakeAsset(spec, std::string(file->bytes)));
    }
  }
  return WebPages(std::move(assets));
}

Result<WebPages> WebPages::FromDirectory(const std::string& web_root) {
  std::vector<Asset> assets;
  for (const WebAssetSpec& spec : Specs()) {
    const std::filesystem::path path = std::filesystem::path(web_root) / spec.file;
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return Fail(ErrorCode::kIo, "web_root: " + path.string() + " is missing or not a regular file");
    }
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error || size > kMaxFileBytes) {
      return Fail(ErrorCode::kTooLarge, "web_root: " + path.string() + " is over 1 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return Fail(ErrorCode::kIo, "web_root: cannot read " + path.string());
    }
    assets.push_back(MakeAsset(spec, std::move(body)));
  }
  return WebPages(std::move(assets));
}

const WebPages::Asset* WebPages::Find(std::string_view path) const {
  for (const Asset& asset : assets_) {
    if (asset.spec->path == path) {
      return &asset;
    }
  }
  return nullptr;
}

bool WebPages::Serves(std::string_view path) const { return Find(path) != nullptr; }

HttpResponse WebPages::Answer(const HttpRequest& request) const {
  const Asset* asset = Find(request.Path());
  if (asset == nullptr) {
    return ErrorResponse(404, "not_found");
  }
  HttpResponse response;
  const bool html = asset->spec->content_type == kHtml;
  // HTML is per deployment and may follow a login: never stored (RFC 9111 §5.2.2.5).
  // Scripts and styles may be kept but are revalidated every time (§5.2.2.4), so a new
  // writ-client.js reaches every tab on its next load.
  response.SetHeader("Cache-Control", html ? "no-store" : "no-cache");
  response.SetHeader("Content-Security-Policy", std::string(kPageContentSecurityPolicy));
  response.SetHeader("ETag", asset->etag);
  if (auto match = request.Header("if-none-match"); match && *match == asset->etag) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.SetHeader("Content-Type", std::string(asset->spec->content_type));
  if (request.method != "HEAD") {
    response.body = asset->body;
  }
  return response;
}

}  // namespace writ::server
