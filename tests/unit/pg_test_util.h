// Shared pieces of the PostgreSQL store's tests (writ_pg_store_tests): the throwaway server
// that tests/support/postgres.sh started (its directory comes in WRIT_PG_DIR), a fresh
// schema per test, and an admin connection to attack the store with.
//
// Nothing here skips: without the server, every test fails.
#ifndef WRIT_TESTS_UNIT_PG_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_PG_TEST_UTIL_H_

#include <sodium.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "store/pg_store.h"
#include "writ/result.h"

namespace writ::store::test_util {

struct PgServer {
  std::string conninfo;  // without the password
  std::string password;
};

inline Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kIo, "cannot read " + path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// The fixture's server; kIo when WRIT_PG_DIR is unset or its files are missing (the
// fixture did not start PostgreSQL: the test fails).
inline Result<PgServer> FixtureServer() {
  const char* dir = ::getenv("WRIT_PG_DIR");
  if (dir == nullptr || *dir == '\0') {
    return Fail(ErrorCode::kIo, "WRIT_PG_DIR is unset: run through ctest (fixture postgres)");
  }
  auto conninfo = ReadWholeFile(std::string(dir) + "/conninfo");
  auto password = ReadWholeFile(std::string(dir) + "/password");
  if (!conninfo || !password) {
    return Fail(ErrorCode::kIo, std::string("no PostgreSQL fixture in ") + dir);
  }
  return PgServer{*conninfo, *password};
}

// "t_" and 16 random hex digits: a schema (and application_name) no other test uses.
inline std::string RandomSchemaName() {
  unsigned char random[8];
  randombytes_buf(random, sizeof(random));
  char hex[2 * sizeof(random) + 1];
  sodium_bin2hex(hex, sizeof(hex), random, sizeof(random));
  return std::string("t_") + hex;
}

// A connection as role writ, outside any store, for setup and attacks.
inline std::unique_ptr<pqxx::connection> AdminConnection(const PgServer& server) {
  return std::make_unique<pqxx::connection>(server.conninfo + " password='" + server.password +
                                            "'");
}

// Options reaching a fresh empty schema `schema` (created here): search_path and
// application_name name it, so a test can find (and terminate) its store's connections.
inline Result<PostgresOptions> OptionsForNewSchema(const std::string& schema) {
  auto server = FixtureServer();
  if (!server) {
    return tl::unexpected(server.error());
  }
  try {
    auto admin = AdminConnection(*server);
    pqxx::nontransaction transaction(*admin);
    transaction.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorage, std::string("creating the test schema: ") + e.what());
  }
  PostgresOptions options;
  options.conninfo = server->conninfo + " options='-c search_path=" + schema +
                     "' application_name='" + schema + "'";
  options.password = SecretBytes::FromString(server->password);
  options.pool_size = 8;
  return options;
}

// The schema of the store kept in `dir` (a per-test directory): made up and created the
// first time, read back on a reopen, so a reopened store reaches the same data.
inline Result<PostgresOptions> OptionsForDir(const std::string& dir) {
  const std::string marker = dir + "/pg_schema";
  auto known = ReadWholeFile(marker);
  std::string schema = known ? *known : RandomSchemaName();
  if (!known) {
    std::ofstream(marker) << schema;
  }
  return OptionsForNewSchema(schema);
}

}  // namespace writ::store::test_util

#endif  // WRIT_TESTS_UNIT_PG_TEST_UTIL_H_
