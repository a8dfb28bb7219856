// `unum build APP_DIR --platform aws`: one deployment zip per function and
// the SAM template (sam_template.h) in an output directory.
//
// Zip of function F (paths relative to the app directory, so the unpacked
// zip is a loadable app, LAMBDA_TASK_ROOT):
//   bootstrap                 unum-lambda-bootstrap (mode 0755)
//   lib/<soname>              every file of <bootstrap>-lib/ if that
//                             directory exists: the shared libraries the
//                             bootstrap needs beyond glibc (the CMake build
//                             fills unum-lambda-bootstrap-lib/)
//   unum-template.yaml        the app's template
//   <CodeUri>/unum_config.*   the IR of EVERY function (the app is
//                             validated as a whole; the IR files are small)
//   apps/<app>.so             the app's module, when F is a C++ function
//   <CodeUri>/...             every file of F's directory, when F is an
//                             exec function
// The code is not compiled here: the module and the bootstrap are what the
// CMake build produced. The functions are loaded first (LoadFunctions), so
// a module without one of the app's C++ functions, or a missing exec
// program, is an error here, not at the function's first start.
#ifndef UNUM_LAMBDA_DEPLOYMENT_H_
#define UNUM_LAMBDA_DEPLOYMENT_H_

#include <string>
#include <vector>

#include "app/app.h"
#include "lambda/sam_template.h"
#include "unum/status.h"

namespace unum::lambda {

struct AwsBuildOptions {
  std::string out_dir;    // created if missing
  std::string bootstrap;  // empty: FindBootstrap("")
  std::string module;     // empty: found by the app's name (FindModule)
  SamOptions sam;
};

struct AwsBuildReport {
  std::string template_file;
  std::vector<std::string> zips;  // in function-name order
};

// `explicit_path`, else $UNUM_LAMBDA_BOOTSTRAP, else unum-lambda-bootstrap
// next to the running executable. kNotFound listing where it looked.
Result<std::string> FindBootstrap(const std::string& explicit_path);

// The libraries shipped with `bootstrap` under lib/: the regular files of
// the directory `bootstrap` + "-lib", sorted by name; none if it does not
// exist.
Result<std::vector<std::string>> BootstrapLibraries(
    const std::string& bootstrap);

Result<AwsBuildReport> BuildAwsArtifacts(const app::App& app,
                                         const AwsBuildOptions& options);

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_DEPLOYMENT_H_
