// Fuzz target: the app template loader (app::LoadApp, what `unum run`,
// `unum build`, `unum worker` and the hosts read first). The input is an
// unum-template.yaml in a fixture directory that holds two functions' IR
// files (a/ and b/) and a state machine (sm.json), so a template may name
// them. A template is loaded into a consistent app or rejected with
// InvalidArgument or NotFound naming a file; nothing throws or crashes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/app.h"
#include "fuzz/fuzz_check.h"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The fixture, made once per process.
const std::string& FixtureDir() {
  static const std::string dir = [] {
    std::string tmpl =
        (fs::temp_directory_path() / "unum-template-fuzz-XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    const fs::path root(tmpl);
    Write(root / "a" / "unum_config.json",
          R"({"Name": "A", "Start": true, "Next": "B"})");
    Write(root / "b" / "unum_config.json", R"({"Name": "B"})");
    Write(root / "sm.json",
          R"({"StartAt": "T", "States": {"T": {"Type": "Task",)"
          R"( "Resource": "A", "End": true}}})");
    return tmpl;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& dir = FixtureDir();
  const fs::path file = fs::path(dir) / "unum-template.yaml";
  Write(file, std::string(reinterpret_cast<const char*>(data), size));
  auto app = unum::app::LoadApp(dir);
  if (!app.ok()) {
    const unum::StatusCode code = app.status().code();
    FUZZ_CHECK(code == unum::StatusCode::kInvalidArgument ||
               code == unum::StatusCode::kNotFound);
    FUZZ_CHECK(!app.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!app->name.empty());
  FUZZ_CHECK(!app->functions.empty());
  FUZZ_CHECK(app->functions.count(app->start_function) == 1);
  return 0;
}
