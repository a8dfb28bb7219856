// BuildAwsArtifacts on example and fixture apps with stand-in bootstrap
// and module files: the exact entries of each zip, permissions kept, and
// unpacking (including the refusal of unsafe entry names).
#include "lambda/deployment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "lambda/zip_archive.h"

namespace unum::lambda {
namespace {

namespace fs = std::filesystem;

class DeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "unum-deploy-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    bootstrap_ = (dir_ / "fake-bootstrap").string();
    std::ofstream(bootstrap_) << "#!/bin/sh\necho bootstrap\n";
    fs::permissions(bootstrap_, fs::perms(0755));
    module_ = std::string(UNUM_APP_MODULE_DIR) + "/text-processing.so";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Build options writing under dir_/out with the test bootstrap.
  AwsBuildOptions Options(const std::string& module) const {
    AwsBuildOptions options;
    options.out_dir = (dir_ / "out").string();
    options.bootstrap = bootstrap_;
    options.module = module;
    return options;
  }

  fs::path dir_;
  std::string bootstrap_, module_;
};

TEST_F(DeploymentTest, OneZipPerFunctionWithBootstrapModuleAndEveryIr) {
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto report = BuildAwsArtifacts(*app, Options(module_));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->template_file, (dir_ / "out" / "template.yaml").string());
  ASSERT_EQ(report->zips.size(), 6u);
  EXPECT_EQ(report->zips[0], (dir_ / "out" / "CreatePost.zip").string());

  auto names = ZipEntryNames((dir_ / "out" / "FindUrl.zip").string());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(
      *names,
      (std::vector<std::string>{
          "bootstrap", "unum-template.yaml", "create_post/unum_config.json",
          "find_url/unum_config.json", "publish/unum_config.json",
          "shorten_url/unum_config.json", "text_processing/unum_config.json",
          "user_mention/unum_config.json", "apps/text-processing.so"}));

  const fs::path unpacked = dir_ / "unpacked";
  ASSERT_TRUE(
      UnzipTo((dir_ / "out" / "FindUrl.zip").string(), unpacked.string()).ok());
  struct stat st {};
  ASSERT_EQ(stat((unpacked / "bootstrap").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  EXPECT_EQ(fs::file_size(unpacked / "apps" / "text-processing.so"),
            fs::file_size(module_));
  // The unpacked zip is a loadable app.
  auto loaded = app::LoadApp(unpacked.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->functions.size(), 6u);
}

TEST_F(DeploymentTest, ExecFunctionsCarryTheirDirectory) {
  auto app = app::LoadApp("tests/fixtures/exec-only");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto report = BuildAwsArtifacts(*app, Options(""));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (const std::string& zip : report->zips) {
    auto names = ZipEntryNames(zip);
    ASSERT_TRUE(names.ok());
    const bool is_env = zip.ends_with("/Env.zip");
    const std::string own = is_env ? "env/env.sh" : "wrap/wrap.sh";
    EXPECT_NE(std::find(names->begin(), names->end(), own), names->end())
        << zip;
    // No module and no other function's code.
    for (const std::string& n : *names) {
      EXPECT_FALSE(n.starts_with("apps/")) << n;
      EXPECT_NE(n, is_env ? "wrap/wrap.sh" : "env/env.sh");
    }
  }
}

TEST_F(DeploymentTest, LibrariesNextToTheBootstrapGoUnderLib) {
  const fs::path libs = bootstrap_ + "-lib";
  fs::create_directories(libs / "not-a-file");
  std::ofstream(libs / "libz.so.1") << "z";
  std::ofstream(libs / "libcurl.so.4") << "curl";
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto report = BuildAwsArtifacts(*app, Options(module_));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto names = ZipEntryNames((dir_ / "out" / "Publish.zip").string());
  ASSERT_TRUE(names.ok());
  ASSERT_GE(names->size(), 3u);
  EXPECT_EQ((*names)[0], "bootstrap");
  EXPECT_EQ((*names)[1], "lib/libcurl.so.4");
  EXPECT_EQ((*names)[2], "lib/libz.so.1");
  EXPECT_EQ(
      std::count_if(names->begin(), names->end(),
                    [](const std::string& n) { return n.starts_with("lib/"); }),
      2);
  const fs::path unpacked = dir_ / "unpacked";
  ASSERT_TRUE(
      UnzipTo((dir_ / "out" / "Publish.zip").string(), unpacked.string()).ok());
  std::ifstream in(unpacked / "lib" / "libcurl.so.4");
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "curl");
}

TEST_F(DeploymentTest, AModuleWithoutAFunctionIsRefused) {
  auto app = app::LoadApp("tests/fixtures/missing-function");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto report = BuildAwsArtifacts(
      *app,
      Options(std::string(UNUM_APP_MODULE_DIR) + "/unum-cli-fixtures.so"));
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(report.status().message(),
              ::testing::HasSubstr("function \"Missing\" is not in module"));
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(DeploymentTest, MissingBootstrapIsNamed) {
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok());
  AwsBuildOptions options;
  options.out_dir = (dir_ / "out").string();
  options.bootstrap = (dir_ / "nope").string();
  auto report = BuildAwsArtifacts(*app, options);
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(report.status().message(),
            "no unum-lambda-bootstrap executable; looked at: " +
                (dir_ / "nope").string() +
                " (build the unum-lambda-bootstrap target, or pass "
                "--bootstrap)");
}

TEST_F(DeploymentTest, UnzipRefusesEntriesLeavingTheDirectory) {
  const std::string zip_path = (dir_ / "evil.zip").string();
  auto zip = ZipWriter::Create(zip_path);
  ASSERT_TRUE(zip.ok());
  ASSERT_TRUE((*zip)->AddContent("../escape.txt", "x").ok());
  ASSERT_TRUE((*zip)->Close().ok());
  Status s = UnzipTo(zip_path, (dir_ / "into").string());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), zip_path + ": unsafe entry name \"../escape.txt\"");
  EXPECT_FALSE(fs::exists(dir_ / "escape.txt"));
}

}  // namespace
}  // namespace unum::lambda
