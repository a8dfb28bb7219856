// Fuzz target: every URL parser (the --store and --platform flags, the
// templates' DataStore, UNUM_STORE and UNUM_PLATFORM of the hosts). The
// input is tried as it is and after each scheme: a URL is accepted or
// rejected with InvalidArgument; nothing throws or crashes. memory:// URLs
// are opened (nothing else is: the others would connect or create files).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/url_options.h"
#include "datastore/dynamodb/dynamodb_datastore.h"
#include "datastore/redis/redis_client.h"
#include "datastore/sqlite/sqlite_datastore.h"
#include "fuzz/fuzz_check.h"
#include "platform/inproc/inproc_platform.h"
#include "platform/lambda/lambda_platform.h"
#include "platform/redis/redis_platform.h"
#include "platform/sqlite/sqlite_platform.h"
#include "unum/datastore.h"

namespace {

template <typename R>
void CheckParsed(const R& result) {
  if (!result.ok()) {
    FUZZ_CHECK(result.status().code() == unum::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!result.status().message().empty());
  }
}

void ParseEveryWay(const std::string& url) {
  CheckParsed(unum::ParseInprocUrl(url));
  CheckParsed(unum::ParseSqlitePlatformUrl(url));
  CheckParsed(unum::ParseRedisPlatformUrl(url));
  CheckParsed(unum::ParseLambdaUrl(url));
  CheckParsed(unum::redis::ParseRedisUrl(url));
  CheckParsed(unum::ParseSqliteDatastoreUrl(url));
  CheckParsed(unum::ParseDynamoDbUrl(url));
  if (url.rfind("memory:", 0) == 0) {
    auto store = unum::OpenDatastore(url);
    CheckParsed(store);
    if (store.ok()) FUZZ_CHECK(*store != nullptr);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckParsed(unum::ParseUrlOptions(text));
  ParseEveryWay(text);
  for (const char* scheme :
       {"inproc://", "sqlite://", "sqlite-outbox://", "redis://", "lambda://",
        "dynamodb://", "memory://"}) {
    ParseEveryWay(scheme + text);
  }
  return 0;
}
