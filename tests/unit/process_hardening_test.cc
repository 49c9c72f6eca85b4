#include "server/process_hardening.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace writ::server {
namespace {

// This makes the test process itself non-dumpable, which no other test relies on.
TEST(ProcessHardening, TurnsCoreDumpsOffAndMakesTheProcessNonDumpable) {
  ASSERT_TRUE(HardenProcess());
  EXPECT_EQ(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
  rlimit core{};
  ASSERT_EQ(::getrlimit(RLIMIT_CORE, &core), 0);
  EXPECT_EQ(core.rlim_cur, 0u);
  EXPECT_EQ(core.rlim_max, 0u);
}

}  // namespace
}  // namespace writ::server
