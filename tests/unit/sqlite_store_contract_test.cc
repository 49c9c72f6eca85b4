// The Store contract (store_contract.h) over the SQLite backend, in memory and in a file.
// The PostgreSQL instantiation is pg_store_contract_test.cc, in its own test binary
// (writ_pg_store_tests) because it needs the server of the ctest fixture "postgres".
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store_contract.h"

namespace writ::store {
namespace {

using test_util::StoreContract;

std::vector<test_util::StoreBackend> Backends() {
  return {
      {"SqliteInMemory", [](const std::string&) { return OpenSqliteStore(":memory:"); }, false},
      {"SqliteFile", [](const std::string& dir) { return OpenSqliteStore(dir + "/writ.db"); },
       true},
  };
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<test_util::StoreBackend>& backend) {
                           return backend.param.name;
                         });

}  // namespace
}  // namespace writ::store
