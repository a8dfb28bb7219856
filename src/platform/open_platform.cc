// The only place that names every platform backend.
#include "platform/hosted_platform.h"
#include "platform/inproc/inproc_platform.h"
#include "platform/lambda/lambda_platform.h"
#include "platform/redis/redis_platform.h"
#include "platform/sqlite/sqlite_platform.h"

namespace unum {

namespace {

using Opened = Result<std::unique_ptr<HostedPlatform>>;

Opened OpenInproc(const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(InprocOptions options, ParseInprocUrl(url));
  return std::unique_ptr<HostedPlatform>(
      std::make_unique<InprocPlatform>(options));
}

Opened OpenSqlite(const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(SqlitePlatformOptions options,
                        ParseSqlitePlatformUrl(url));
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<SqlitePlatform> platform,
                        SqlitePlatform::Open(std::move(options)));
  return std::unique_ptr<HostedPlatform>(std::move(platform));
}

Opened OpenRedis(const std::string& url) {
  // Submits only: `unum worker` processes run the functions.
  UNUM_ASSIGN_OR_RETURN(RedisPlatformOptions options,
                        ParseRedisPlatformUrl(url));
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<RedisPlatform> platform,
                        RedisPlatform::Create(std::move(options),
                                              RedisPlatform::Role::kSubmitter));
  return std::unique_ptr<HostedPlatform>(std::move(platform));
}

Opened OpenLambda(const std::string& url) {
  // Submits only: the functions run in AWS Lambda (or unum lambda-local).
  UNUM_ASSIGN_OR_RETURN(LambdaPlatformOptions options, ParseLambdaUrl(url));
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<LambdaPlatform> platform,
                        LambdaPlatform::Open(std::move(options)));
  return std::unique_ptr<HostedPlatform>(std::move(platform));
}

struct Backend {
  PlatformScheme scheme;
  Opened (*open)(const std::string& url);
};

// Every backend, with a URL it opens without any server running (the
// network backends connect lazily; {tmp}: a directory of the caller's).
const std::vector<Backend>& Backends() {
  static const std::vector<Backend> backends = {
      {{"inproc", "inproc://"}, OpenInproc},
      {{"sqlite", "sqlite://{tmp}/probe.db"}, OpenSqlite},
      {{"sqlite-outbox", "sqlite-outbox://{tmp}/probe.db"}, OpenSqlite},
      {{"redis", "redis://127.0.0.1:1/0?app=probe"}, OpenRedis},
      {{"lambda", "lambda://?region=us-east-1&endpoint=http://127.0.0.1:1"},
       OpenLambda},
  };
  return backends;
}

}  // namespace

std::vector<PlatformScheme> PlatformSchemes() {
  std::vector<PlatformScheme> out;
  for (const Backend& b : Backends()) out.push_back(b.scheme);
  return out;
}

Result<std::unique_ptr<HostedPlatform>> OpenPlatform(const std::string& url) {
  for (const Backend& b : Backends()) {
    if (url.rfind(b.scheme.name + ":", 0) == 0) return b.open(url);
  }
  return Status::InvalidArgument("unknown platform URL \"" + url +
                                 "\" (supported: inproc://, sqlite:///path, "
                                 "redis://host:port/db, lambda://?region=R)");
}

}  // namespace unum
