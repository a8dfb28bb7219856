// The only place that names every platform backend.
#include "platform/hosted_platform.h"
#include "platform/inproc/inproc_platform.h"
#include "platform/lambda/lambda_platform.h"
#include "platform/redis/redis_platform.h"
#include "platform/sqlite/sqlite_platform.h"

namespace unum {

Result<std::unique_ptr<HostedPlatform>> OpenPlatform(const std::string& url) {
  if (url.rfind("inproc:", 0) == 0) {
    UNUM_ASSIGN_OR_RETURN(InprocOptions options, ParseInprocUrl(url));
    return std::unique_ptr<HostedPlatform>(
        std::make_unique<InprocPlatform>(options));
  }
  if (url.rfind("sqlite:", 0) == 0 || url.rfind("sqlite-outbox:", 0) == 0) {
    UNUM_ASSIGN_OR_RETURN(SqlitePlatformOptions options,
                          ParseSqlitePlatformUrl(url));
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<SqlitePlatform> platform,
                          SqlitePlatform::Open(std::move(options)));
    return std::unique_ptr<HostedPlatform>(std::move(platform));
  }
  if (url.rfind("redis:", 0) == 0) {
    // Submits only: `unum worker` processes run the functions.
    UNUM_ASSIGN_OR_RETURN(RedisPlatformOptions options,
                          ParseRedisPlatformUrl(url));
    UNUM_ASSIGN_OR_RETURN(
        std::unique_ptr<RedisPlatform> platform,
        RedisPlatform::Create(std::move(options),
                              RedisPlatform::Role::kSubmitter));
    return std::unique_ptr<HostedPlatform>(std::move(platform));
  }
  if (url.rfind("lambda:", 0) == 0) {
    // Submits only: the functions run in AWS Lambda (or unum lambda-local).
    UNUM_ASSIGN_OR_RETURN(LambdaPlatformOptions options, ParseLambdaUrl(url));
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<LambdaPlatform> platform,
                          LambdaPlatform::Open(std::move(options)));
    return std::unique_ptr<HostedPlatform>(std::move(platform));
  }
  return Status::InvalidArgument("unknown platform URL \"" + url +
                                 "\" (supported: inproc://, sqlite:///path, "
                                 "redis://host:port/db, lambda://?region=R)");
}

}  // namespace unum
