// The files of web/ compiled into writ (generated at build time by
// cmake/EmbedWebAssets.cmake); WebPages (web_pages.h) serves the allow-listed ones.
#ifndef WRIT_SERVER_WEB_ASSETS_H_
#define WRIT_SERVER_WEB_ASSETS_H_

#include <string_view>
#include <vector>

namespace writ::server {

struct EmbeddedWebFile {
  std::string_view name;  // the file name in web/, e.g. "login.html"
  std::string_view bytes;
};

// Every embedded file, in the order of their names.
const std::vector<EmbeddedWebFile>& EmbeddedWebFiles();

}  // namespace writ::server

#endif  // WRIT_SERVER_WEB_ASSETS_H_
