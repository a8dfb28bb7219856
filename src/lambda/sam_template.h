// The AWS SAM template `unum build --platform aws` writes next to the
// zips: one AWS::Serverless::Function per Unum function and the DynamoDB
// table, with least-privilege permissions.
//
// Per function <Name> (logical id <Name's letters and digits>Function):
//   FunctionName  ${AWS::StackName}-<Name>; CodeUri <Name>.zip;
//   Handler <Name> (the bootstrap reads it from _HANDLER);
//   Runtime provided.al2023
//   Environment   UNUM_STORE = dynamodb://<table>?region=<region>,
//                 UNUM_PLATFORM = lambda://?region=<region>&prefix=<stack>-
//   Policies      one inline policy: dynamodb Get/Put/Update/Delete/
//                 BatchGet/Query on the table only; lambda:InvokeFunction
//                 only on the functions its IR invokes and on itself (its
//                 on-failure destination)
//   EventInvokeConfig  MaximumRetryAttempts (default 1) and OnFailure ->
//                 the function itself (the bootstrap's last attempt), so
//                 a failing invocation is delivered 3 times in all.
// The table: keys p (HASH) and s (RANGE), binary, PAY_PER_REQUEST, TTL on
// attribute e (see docs/aws.md). Intrinsics use the long form
// ({"Fn::Sub": ...}) so any YAML parser reads the template.
#ifndef UNUM_LAMBDA_SAM_TEMPLATE_H_
#define UNUM_LAMBDA_SAM_TEMPLATE_H_

#include <string>

#include "app/app.h"
#include "unum/status.h"

namespace unum::lambda {

struct SamOptions {
  int memory_mb = 512;
  int timeout_seconds = 60;
  std::string architecture = "x86_64";
  int retry_attempts = 1;             // EventInvokeConfig.MaximumRetryAttempts
  int max_event_age_seconds = 21600;  // 6 h, Lambda's maximum
};

// "<Name>.zip".
std::string FunctionZipName(const std::string& function);
// "<letters and digits of Name>Function".
std::string FunctionLogicalId(const std::string& function);
inline constexpr char kTableLogicalId[] = "UnumTable";

// The template as YAML text. kInvalidArgument when two functions map to
// one logical id or a name cannot name a Lambda function.
Result<std::string> SamTemplateYaml(const app::App& app,
                                    const SamOptions& options);

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_SAM_TEMPLATE_H_
