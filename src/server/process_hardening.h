// writ::server::HardenProcess: keeps the secrets of `writ serve` out of core dumps and away
// from other processes of the same user.
#ifndef WRIT_SERVER_PROCESS_HARDENING_H_
#define WRIT_SERVER_PROCESS_HARDENING_H_

#include "writ/result.h"

namespace writ::server {

// Before any secret is read: no core dumps (RLIMIT_CORE 0) and not dumpable
// (prctl PR_SET_DUMPABLE 0: no core, and ptrace and /proc/PID/mem closed to same-user
// processes without CAP_SYS_PTRACE). Secret bytes themselves live in libsodium guarded
// pages (mlock'd, excluded from dumps with MADV_DONTDUMP, wiped on release); key material
// inside OpenSSL objects is covered by these two settings. kIo when either call fails.
[[nodiscard]] Status HardenProcess();

}  // namespace writ::server

#endif  // WRIT_SERVER_PROCESS_HARDENING_H_
