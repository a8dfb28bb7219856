// The Lambda bootstrap: see bootstrap.h.
#include "lambda/bootstrap.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/app.h"
#include "app/function_table.h"
#include "aws/curl_http_client.h"
#include "platform/lambda/lambda_platform.h"
#include "runtime/runtime.h"

namespace unum::lambda {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// An on-failure destination record: Lambda's envelope around the event
// whose retries ran out.
bool IsDestinationRecord(const json& doc) {
  return doc.is_object() && doc.contains("requestPayload") &&
         doc.contains("requestContext") && doc["requestContext"].is_object() &&
         doc["requestContext"].contains("condition");
}

std::string ErrorType(const Status& s) {
  std::string name(StatusCodeName(s.code()));
  return "Unum." + name;
}

}  // namespace

Result<BootstrapConfig> BootstrapConfigFromEnvironment() {
  BootstrapConfig c;
  c.runtime_api = Env("AWS_LAMBDA_RUNTIME_API");
  c.function = Env("_HANDLER");
  c.task_root = Env("LAMBDA_TASK_ROOT");
  c.store_url = Env("UNUM_STORE");
  if (std::string p = Env("UNUM_PLATFORM"); !p.empty()) c.platform_url = p;
  c.module = Env("UNUM_MODULE");
  if (c.task_root.empty()) {
    std::error_code ec;
    c.task_root = fs::read_symlink("/proc/self/exe", ec).parent_path().string();
  }
  for (const auto& [name, value] :
       {std::pair{"AWS_LAMBDA_RUNTIME_API", &c.runtime_api},
        std::pair{"_HANDLER", &c.function},
        std::pair{"UNUM_STORE", &c.store_url}}) {
    if (value->empty()) {
      return Status::InvalidArgument(std::string("bootstrap: ") + name +
                                     " is not set");
    }
  }
  return c;
}

EventLoop::EventLoop(RuntimeApiClient* api, std::string function,
                     int max_attempts, Handler handle,
                     std::function<Status()> flush)
    : api_(api),
      function_(std::move(function)),
      max_attempts_(max_attempts),
      handle_(std::move(handle)),
      flush_(std::move(flush)) {}

Status EventLoop::RunOnce() {
  UNUM_ASSIGN_OR_RETURN(NextEvent event, api_->Next());
  json doc;
  try {
    doc = json::parse(event.body);
  } catch (const json::exception& e) {
    return api_->Error(
        event.request_id, "Unum.InvalidEvent",
        "function \"" + function_ + "\": the event is not JSON: " + e.what());
  }
  Invocation inv;
  inv.function = function_;
  const bool final = IsDestinationRecord(doc);
  if (final) {
    inv.payload = doc["requestPayload"];
    inv.attempt = max_attempts_;
  } else {
    if (attempts_.size() > 10000) attempts_.clear();
    inv.payload = std::move(doc);
    inv.attempt =
        std::min(++attempts_[event.request_id], std::max(1, max_attempts_ - 1));
  }
  Status s = handle_(inv);
  if (s.ok()) s = flush_();
  if (s.ok()) {
    attempts_.erase(event.request_id);
    return api_->Respond(event.request_id, R"({"status":"done"})");
  }
  if (final) {
    spdlog::error("{}: last attempt (on-failure destination) failed: {}",
                  function_, s.ToString());
    return api_->Respond(event.request_id, R"({"status":"failed"})");
  }
  return api_->Error(event.request_id, ErrorType(s), s.ToString());
}

int EventLoop::Run() {
  int failures = 0;
  while (failures < 5) {
    Status s = RunOnce();
    if (s.ok()) {
      failures = 0;
      continue;
    }
    ++failures;
    spdlog::error("runtime API: {}", s.ToString());
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * failures));
  }
  return 1;
}

namespace {

// Everything the loop needs, set up from the config; errors are init
// errors.
struct Hosted {
  std::unique_ptr<Datastore> store;
  std::unique_ptr<LambdaPlatform> platform;
  app::FunctionTable functions;
  std::unique_ptr<runtime::Runtime> runtime;
};

Result<std::unique_ptr<Hosted>> SetUp(const BootstrapConfig& config) {
  auto hosted = std::make_unique<Hosted>();
  UNUM_ASSIGN_OR_RETURN(app::App app, app::LoadApp(config.task_root));
  auto spec = app.functions.find(config.function);
  if (spec == app.functions.end()) {
    return Status::NotFound("_HANDLER \"" + config.function +
                            "\" is not a function of app \"" + app.name + "\"");
  }
  // Only this function's code is in the zip.
  app::App one = app;
  one.functions = {*spec};
  UNUM_ASSIGN_OR_RETURN(hosted->functions,
                        app::LoadFunctions(one, config.module));
  UNUM_ASSIGN_OR_RETURN(hosted->store, OpenDatastore(config.store_url));
  UNUM_ASSIGN_OR_RETURN(LambdaPlatformOptions options,
                        ParseLambdaUrl(config.platform_url));
  UNUM_ASSIGN_OR_RETURN(hosted->platform, LambdaPlatform::Open(options));
  runtime::RuntimeOptions runtime_options;
  runtime_options.gc = app.gc;
  hosted->runtime = std::make_unique<runtime::Runtime>(
      hosted->store.get(), hosted->platform.get(), runtime_options);
  UNUM_RETURN_IF_ERROR(hosted->runtime->AddFunction(
      spec->second.config, hosted->functions.functions.at(config.function),
      hosted->functions.PlannerOf(config.function)));
  return hosted;
}

}  // namespace

int RunBootstrap(const BootstrapConfig& config) {
  RuntimeApiClient api(config.runtime_api,
                       std::make_shared<aws::CurlHttpClient>());
  auto hosted = SetUp(config);
  if (!hosted.ok()) {
    spdlog::error("bootstrap for \"{}\": {}", config.function,
                  hosted.status().ToString());
    if (Status s = api.InitError(ErrorType(hosted.status()),
                                 hosted.status().ToString());
        !s.ok()) {
      spdlog::error("runtime API init/error: {}", s.ToString());
    }
    return 1;
  }
  Hosted& h = **hosted;
  spdlog::info("bootstrap: serving \"{}\" (store {}, platform {})",
               config.function, config.store_url, config.platform_url);
  EventLoop loop(
      &api, config.function, h.platform->MaxAttempts(),
      [&h](const Invocation& inv) { return h.runtime->Handle(inv); },
      [&h] { return h.platform->Flush(); });
  return loop.Run();
}

}  // namespace unum::lambda
