// pages = true|false and web_root = "DIR" (server/config_apply.cc, web_pages.h).
#include <string>

#include <gtest/gtest.h>

#include "config_loader_fixture.h"

namespace writ::server::testing {
namespace {

TEST_F(ConfigLoader, PagesAreOnByDefaultAndBuiltIn) {
  auto config = Load(SecretTables(), true);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(config->pages_enabled);
  EXPECT_TRUE(config->web_root.empty());
}

TEST_F(ConfigLoader, PagesCanBeSwitchedOffOrServedFromADirectory) {
  auto off = Load("pages = false\n" + SecretTables(), true);
  ASSERT_TRUE(off) << off.error().detail;
  EXPECT_FALSE(off->pages_enabled);
  auto custom = Load("web_root = \"" + Path("web") + "\"\n" + SecretTables(), true);
  ASSERT_TRUE(custom) << custom.error().detail;
  EXPECT_EQ(custom->web_root, Path("web"));
}

TEST_F(ConfigLoader, WebRootWithPagesOffOrEmptyIsRefused) {
  ExpectRefused(Load("pages = false\nweb_root = \"" + Path("web") + "\"\n" + SecretTables(), true),
                {"web_root"});
  ExpectRefused(Load("web_root = \"\"\n" + SecretTables(), true), {"web_root"});
  ExpectRefused(Load("pages = \"yes\"\n" + SecretTables(), true), {"pages"});
}

}  // namespace
}  // namespace writ::server::testing
