// OpenDatastore: the URL factory, the only place that names every backend.
#include <memory>
#include <string>
#include <string_view>

#include "datastore/dynamodb/dynamodb_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "datastore/redis/redis_datastore.h"
#include "datastore/sqlite/sqlite_datastore.h"
#include "unum/datastore.h"

namespace unum {
namespace {

constexpr std::string_view kSupportedSchemes =
    "memory://, sqlite:///path, redis://host:port/db, "
    "dynamodb://TABLE?region=R";

Status UnsupportedUrl(const std::string& url, std::string_view why) {
  return Status::InvalidArgument(
      "cannot open datastore URL '" + url + "': " + std::string(why) +
      " (supported: " + std::string(kSupportedSchemes) + ")");
}

}  // namespace

Result<std::unique_ptr<Datastore>> OpenDatastore(const std::string& url) {
  const size_t colon = url.find(':');
  if (colon == std::string::npos || colon == 0) {
    return UnsupportedUrl(url, "missing scheme");
  }
  const std::string_view scheme = std::string_view(url).substr(0, colon);
  std::string_view rest = std::string_view(url).substr(colon + 1);
  if (rest.starts_with("//")) rest.remove_prefix(2);

  if (scheme == "memory") {
    // "memory:" and "memory://" only; the store takes no options yet.
    if (!rest.empty()) {
      return UnsupportedUrl(url, "memory:// takes no host, path or options");
    }
    return std::unique_ptr<Datastore>(std::make_unique<MemoryDatastore>());
  }
  if (scheme == "sqlite") {
    UNUM_ASSIGN_OR_RETURN(SqliteDatastoreOptions options,
                          ParseSqliteDatastoreUrl(url));
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDatastore> store,
                          SqliteDatastore::Open(std::move(options)));
    return std::unique_ptr<Datastore>(std::move(store));
  }
  if (scheme == "redis") {
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<RedisDatastore> store,
                          RedisDatastore::Open(url));
    return std::unique_ptr<Datastore>(std::move(store));
  }
  if (scheme == "dynamodb") {
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<DynamoDbDatastore> store,
                          DynamoDbDatastore::Open(url));
    return std::unique_ptr<Datastore>(std::move(store));
  }
  return UnsupportedUrl(url, "unknown scheme '" + std::string(scheme) + "'");
}

}  // namespace unum
