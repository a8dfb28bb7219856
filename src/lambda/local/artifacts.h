// What `unum lambda-local` reads from the output of `unum build --platform
// aws`: the AWS::Serverless::Function resources of template.yaml, each
// with its zip, plain environment values and asynchronous-invoke config.
#ifndef UNUM_LAMBDA_LOCAL_ARTIFACTS_H_
#define UNUM_LAMBDA_LOCAL_ARTIFACTS_H_

#include <map>
#include <string>
#include <vector>

#include "unum/status.h"

namespace unum::lambda {

struct ArtifactFunction {
  std::string name;                        // the Handler (the Unum name)
  std::string zip;                         // artifacts dir + CodeUri
  std::map<std::string, std::string> env;  // Environment.Variables scalars
  int max_retries = 2;  // EventInvokeConfig.MaximumRetryAttempts (Lambda: 2)
  bool on_failure_self = false;  // OnFailure destination = the function
};

// Reads `artifacts_dir`/template.yaml. kInvalidArgument naming the file
// and the resource for a missing template, bad YAML, a function without
// Handler or CodeUri, two functions with one Handler, or an OnFailure
// destination other than the function itself.
Result<std::vector<ArtifactFunction>> ReadArtifacts(
    const std::string& artifacts_dir);

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_LOCAL_ARTIFACTS_H_
