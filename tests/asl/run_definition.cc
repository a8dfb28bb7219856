#include "run_definition.h"

#include <gtest/gtest.h>

#include <chrono>

#include "app/app.h"
#include "app/function_table.h"
#include "e2e_util.h"

namespace unum::asl_test {

app::RunReport RunDefinition(const std::string& definition,
                             const nlohmann::json& input,
                             MemoryDatastore* store,
                             const std::string& platform_url) {
  e2e::TempDir dir;
  const auto file = dir.path() / "definition.json";
  e2e::WriteFile(file, definition);
  auto app = app::LoadApp(UNUM_ASL_APP_DIR, file.string());
  EXPECT_TRUE(app.ok()) << app.status().ToString();
  if (!app.ok()) return {};
  auto functions = app::LoadFunctions(*app, UNUM_ASL_MODULE);
  EXPECT_TRUE(functions.ok()) << functions.status().ToString();
  if (!functions.ok()) return {};
  app::RunOptions options;
  options.platform_url = platform_url;
  options.timeout = std::chrono::seconds(60);
  auto report = app::RunWorkflow(*app, *functions, input, store, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : app::RunReport{};
}

}  // namespace unum::asl_test
