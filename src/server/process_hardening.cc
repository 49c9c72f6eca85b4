#include "server/process_hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace writ::server {

Status HardenProcess() {
  const rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) != 0) {
    return Fail(ErrorCode::kIo, std::string("cannot turn core dumps off: ") + std::strerror(errno));
  }
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Fail(ErrorCode::kIo, std::string("cannot make the process non-dumpable: ") +
                                    std::strerror(errno));
  }
  return {};
}

}  // namespace writ::server
