// OpenDatastore: the URL factory, the only place that names every backend.
#include <memory>
#include <string>
#include <string_view>

#include "common/latency_model.h"
#include "common/url_options.h"
#include "datastore/dynamodb/dynamodb_datastore.h"
#include "datastore/latency_datastore.h"
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

// "memory://" with optional latency-model options
// ("?latency=aws&read_ms=5...", common/latency_model.h).
Result<std::unique_ptr<Datastore>> OpenMemory(const std::string& url,
                                              std::string_view rest) {
  auto store = std::unique_ptr<Datastore>(std::make_unique<MemoryDatastore>());
  if (rest.empty()) return store;
  if (rest.front() != '?') {
    return UnsupportedUrl(url,
                          "memory:// takes no host or path, only ?options");
  }
  auto pairs = ParseUrlOptions(rest.substr(1));
  if (!pairs.ok()) return UnsupportedUrl(url, pairs.status().message());
  LatencyModel model;
  for (const auto& [name, value] : *pairs) {
    auto applied = ApplyLatencyOption(name, value, &model);
    if (!applied.ok()) return UnsupportedUrl(url, applied.status().message());
    if (!*applied || name == "invoke_ms" || name == "max_in_flight") {
      return UnsupportedUrl(
          url, UnknownUrlOption(
                   name, {"latency", "read_ms", "write_ms", "latency_spread"})
                   .message());
    }
  }
  if (!model.enabled()) return store;
  return std::unique_ptr<Datastore>(
      std::make_unique<LatencyDatastore>(std::move(store), model));
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

  if (scheme == "memory") return OpenMemory(url, rest);
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
