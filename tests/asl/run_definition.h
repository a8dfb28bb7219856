// Runs a Step Functions definition (text) through `unum`'s compiler and
// runtime with the task table app (tests/asl/app), on the memory store and
// the in-process platform; the tests' shared driver.
#ifndef UNUM_TESTS_ASL_RUN_DEFINITION_H_
#define UNUM_TESTS_ASL_RUN_DEFINITION_H_

#include <nlohmann/json.hpp>
#include <string>

#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"

namespace unum::asl_test {

// The run's report; a failure to load or run is a test failure (and an
// empty report).
app::RunReport RunDefinition(const std::string& definition,
                             const nlohmann::json& input,
                             MemoryDatastore* store,
                             const std::string& platform_url);

}  // namespace unum::asl_test

#endif  // UNUM_TESTS_ASL_RUN_DEFINITION_H_
