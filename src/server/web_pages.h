// writ::server::WebPages: the browser pages of `writ serve` (web/: login, signup, account and
// their scripts and stylesheet), served from a fixed allow-list held in memory.
//
// The files are compiled into the binary (web_assets.h). `web_root` replaces them with the
// same-named files of a directory, read once at start: a request path is only ever looked
// up in the table, never joined to a file name, so there is no path to traverse.
#ifndef WRIT_SERVER_WEB_PAGES_H_
#define WRIT_SERVER_WEB_PAGES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http_message.h"
#include "writ/result.h"

namespace writ::server {

// The policy of every page: scripts, styles and fetches from writ's own origin only, no
// inline code, no framing, no <base>, forms post to writ only (CSP Level 3).
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";

// One file of the allow-list: the URL path it answers and the file name in web/.
struct WebAssetSpec {
  std::string_view path;
  std::string_view file;
  std::string_view content_type;
};

// Immutable; thread-safe.
class WebPages {
 public:
  // The embedded copies of web/; never fails.
  static WebPages Embedded();
  // Every allow-listed file read from `web_root` (a directory); kIo naming the first file
  // that is missing or not a regular file, kTooLarge for one over 1 MiB.
  [[nodiscard]] static Result<WebPages> FromDirectory(const std::string& web_root);
  // The allow-list, in URL-path order.
  static const std::vector<WebAssetSpec>& Specs();

  // True when `path` is one of the pages or assets.
  bool Serves(std::string_view path) const;
  // The answer for GET/HEAD of `path` (Serves(path) must hold): the file with its
  // Content-Type, a strong ETag (304 on If-None-Match), Cache-Control no-store for HTML
  // and no-cache for scripts and styles, and kPageContentSecurityPolicy. HEAD has no body.
  HttpResponse Answer(const HttpRequest& request) const;

 private:
  struct Asset {
    const WebAssetSpec* spec;
    std::string body;
    std::string etag;
  };
  explicit WebPages(std::vector<Asset> assets) : assets_(std::move(assets)) {}
  static Asset MakeAsset(const WebAssetSpec& spec, std::string body);
  const Asset* Find(std::string_view path) const;

  std::vector<Asset> assets_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_WEB_PAGES_H_
