// The Store contract (store_contract.h) over the PostgreSQL backend: the same suite as
// sqlite_store_contract_test.cc, against the server of the ctest fixture "postgres"
// (tests/support/postgres.sh), each test in a fresh schema. Built into writ_pg_store_tests.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pg_test_util.h"
#include "store/pg_store.h"
#include "store_contract.h"

namespace writ::store {
namespace {

using test_util::StoreContract;

std::vector<test_util::StoreBackend> Backends() {
  return {
      {"Postgres",
       [](const std::string& dir) -> Result<std::unique_ptr<Store>> {
         auto options = test_util::OptionsForDir(dir);
         if (!options) {
           return tl::unexpected(options.error());
         }
         return OpenPostgresStore(*options);
       },
       true},
  };
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<test_util::StoreBackend>& backend) {
                           return backend.param.name;
                         });

}  // namespace
}  // namespace writ::store
