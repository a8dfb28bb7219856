// LocalLambda: see local_lambda.h.
#include "lambda/local/local_lambda.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "common/child_process.h"
#include "common/uuid.h"
#include "lambda/local/artifacts.h"
#include "lambda/zip_archive.h"

namespace unum::lambda {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kMaxAsyncPayload = 256 * 1024;

struct Event {
  std::string id;
  std::string body;
  int delivery = 1;  // 1 on the first delivery
  bool destination = false;
};

struct Function {
  ArtifactFunction spec;
  std::string dir;  // unpacked
  std::deque<Event> queue;
};

struct Environment {
  Function* fn = nullptr;
  int index = 0;
  std::unique_ptr<httplib::Server> server;
  int port = 0;
  std::thread thread;
  std::unique_ptr<ChildProcess> process;  // null while none runs
  std::thread in_process;                 // InProcessFunctions::run
  // Bumped when the process dies: a `next` of the dead process still
  // waiting must not take an event.
  int64_t generation = 0;
  std::optional<Event> current;
  Clock::time_point restart_at{};
};

std::string Iso8601Now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void LambdaError(httplib::Response& res, int status, const std::string& type,
                 const std::string& message) {
  res.status = status;
  res.set_header("x-amzn-ErrorType", type);
  res.set_content(json{{"Type", "User"}, {"message", message}}.dump(),
                  "application/json");
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// The value of `key`=... in a SigV4 Authorization header, up to ',' or ' '.
std::string AuthField(const std::string& auth, const std::string& key) {
  const size_t at = auth.find(key + "=");
  if (at == std::string::npos) return "";
  const size_t start = at + key.size() + 1;
  const size_t end = auth.find_first_of(", ", start);
  return auth.substr(start, end == std::string::npos ? end : end - start);
}

// Checks the SigV4 signature of `req` as Lambda would: recomputes it over
// the headers it names (SignedHeaders) with its X-Amz-Date and the region
// of its credential scope, under `credentials`. Empty when valid, else the
// Lambda error type.
std::string CheckSignature(const httplib::Request& req, int port,
                           const aws::AwsCredentials& credentials) {
  const std::string auth = req.get_header_value("Authorization");
  if (!auth.starts_with("AWS4-HMAC-SHA256 ")) {
    return "MissingAuthenticationTokenException";
  }
  // Credential=AKID/date/region/service/aws4_request
  std::vector<std::string> scope;
  std::stringstream parts(AuthField(auth, "Credential"));
  for (std::string p; std::getline(parts, p, '/');) scope.push_back(p);
  if (scope.size() != 5 || scope[0] != credentials.access_key_id) {
    return "UnrecognizedClientException";
  }
  if (scope[3] != "lambda") return "InvalidSignatureException";
  aws::HttpRequest r;
  r.method = req.method;
  r.url = "http://127.0.0.1:" + std::to_string(port) + req.path;
  r.body = req.body;
  std::stringstream names(AuthField(auth, "SignedHeaders"));
  for (std::string name; std::getline(names, name, ';');) {
    if (name == "x-amz-date" || name == "x-amz-security-token") continue;
    r.headers.emplace_back(name, req.get_header_value(name));
  }
  auto signature =
      aws::SignRequest(&r, credentials,
                       {.region = scope[2],
                        .service = "lambda",
                        .amz_date = req.get_header_value("X-Amz-Date")});
  if (!signature.ok() || signature->authorization != auth) {
    return "InvalidSignatureException";
  }
  return "";
}

}  // namespace

struct LocalLambda::Impl {
  LocalLambdaOptions options;
  // What the processes get and what Invoke requests must be signed with.
  aws::AwsCredentials credentials{
      .access_key_id = EnvOr("AWS_ACCESS_KEY_ID", "test"),
      .secret_access_key = EnvOr("AWS_SECRET_ACCESS_KEY", "test"),
      .session_token = EnvOr("AWS_SESSION_TOKEN", "")};
  std::string work_dir;
  std::map<std::string, std::unique_ptr<Function>> functions;
  std::vector<std::unique_ptr<Environment>> envs;
  std::unique_ptr<httplib::Server> invoke_server;
  std::thread invoke_thread;
  int port = 0;

  mutable std::mutex mu;
  std::condition_variable cv;  // queues changed, or stopping
  std::multimap<Clock::time_point, std::pair<Function*, Event>> delayed;
  bool stopping = false;
  bool stopped = false;
  std::atomic<bool> in_process_stopping{false};
  LocalLambdaStats stats;
  std::thread supervisor;

  Status LoadTemplate();
  Status Unpack();
  Status StartServers();
  void ServeInvoke(httplib::Server& s);
  void ServeRuntime(Environment& env);
  void Fail(Environment& env, const std::string& error_body);
  void Spawn(Environment& env);  // requires mu
  void Supervise();
  void Stop();
};

Status LocalLambda::Impl::LoadTemplate() {
  std::vector<ArtifactFunction> read;
  if (options.in_process) {
    if (!options.in_process->run) {
      return Status::InvalidArgument(
          "lambda-local: in-process functions "
          "without a runner");
    }
    read = options.in_process->functions;
  } else {
    UNUM_ASSIGN_OR_RETURN(read, ReadArtifacts(options.artifacts_dir));
  }
  for (ArtifactFunction& a : read) {
    auto fn = std::make_unique<Function>();
    fn->spec = std::move(a);
    const std::string name = fn->spec.name;
    functions.emplace(name, std::move(fn));
  }
  return Status::Ok();
}

Status LocalLambda::Impl::Unpack() {
  if (options.in_process) return Status::Ok();  // nothing to unpack
  std::string tmpl = (fs::temp_directory_path() / "unum-lambda-local-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status::Unavailable("cannot create a temporary directory");
  }
  work_dir = tmpl;
  for (auto& [name, fn] : functions) {
    fn->dir = (fs::path(work_dir) / name).string();
    UNUM_RETURN_IF_ERROR(UnzipTo(fn->spec.zip, fn->dir));
    if (access((fs::path(fn->dir) / "bootstrap").c_str(), X_OK) != 0) {
      return Status::InvalidArgument(fn->spec.zip +
                                     ": no executable bootstrap at its root");
    }
  }
  return Status::Ok();
}

void LocalLambda::Impl::ServeInvoke(httplib::Server& s) {
  s.Post(R"(/2015-03-31/functions/([^/]+)/invocations)",
         [this](const httplib::Request& req, httplib::Response& res) {
           std::string name = req.matches[1];
           if (size_t f = name.rfind("function:"); f != std::string::npos) {
             name = name.substr(f + 9);  // an ARN
           }
           if (const std::string bad = CheckSignature(req, port, credentials);
               !bad.empty()) {
             return LambdaError(
                 res, 403, bad,
                 bad == "InvalidSignatureException"
                     ? "The request signature we calculated does not match "
                       "the signature you provided."
                     : "The request is not signed with this service's "
                       "credentials.");
           }
           if (req.get_header_value("X-Amz-Invocation-Type") != "Event") {
             return LambdaError(
                 res, 400, "InvalidParameterValueException",
                 "lambda-local serves only X-Amz-Invocation-Type: Event");
           }
           if (req.body.size() > kMaxAsyncPayload) {
             return LambdaError(res, 413, "RequestTooLargeException",
                                "Request must be smaller than 262144 bytes "
                                "for the InvokeAsync operation");
           }
           if (!json::accept(req.body)) {
             return LambdaError(res, 400, "InvalidRequestContentException",
                                "Could not parse request body into json");
           }
           std::lock_guard<std::mutex> lock(mu);
           auto fn = functions.find(name);
           if (fn == functions.end()) {
             return LambdaError(res, 404, "ResourceNotFoundException",
                                "Function not found: " + name);
           }
           Event e{NewUuid(), req.body, 1, false};
           res.set_header("x-amzn-RequestId", e.id);
           fn->second->queue.push_back(std::move(e));
           ++stats.invocations;
           cv.notify_all();
           res.status = 202;
         });
}

void LocalLambda::Impl::ServeRuntime(Environment& env) {
  httplib::Server& s = *env.server;
  s.Get("/2018-06-01/runtime/invocation/next",
        [this, &env](const httplib::Request&, httplib::Response& res) {
          std::unique_lock<std::mutex> lock(mu);
          const int64_t generation = env.generation;
          if (env.current) {
            // Asking for the next event abandons the current one.
            Fail(env, R"({"errorType":"Runtime.InvalidState",)"
                      R"("errorMessage":"next called without a response"})");
          }
          cv.wait(lock, [&] {
            return stopping || env.generation != generation ||
                   !env.fn->queue.empty();
          });
          if (stopping || env.generation != generation) {
            res.status = 503;
            return;
          }
          Event e = std::move(env.fn->queue.front());
          env.fn->queue.pop_front();
          ++stats.deliveries;
          const auto deadline =
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch() +
                  std::chrono::seconds(60))
                  .count();
          res.set_header("Lambda-Runtime-Aws-Request-Id", e.id);
          res.set_header("Lambda-Runtime-Deadline-Ms",
                         std::to_string(deadline));
          res.set_header("Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:" + options.region +
                             ":000000000000:function:" + env.fn->spec.name);
          res.set_content(e.body, "application/json");
          env.current = std::move(e);
        });
  s.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)",
         [this, &env](const httplib::Request& req, httplib::Response& res) {
           std::lock_guard<std::mutex> lock(mu);
           if (!env.current || env.current->id != req.matches[1]) {
             res.status = 400;
             res.set_content(R"({"errorType":"InvalidRequestID"})",
                             "application/json");
             return;
           }
           env.current.reset();
           ++stats.succeeded;
           res.status = 202;
         });
  s.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)",
         [this, &env](const httplib::Request& req, httplib::Response& res) {
           std::lock_guard<std::mutex> lock(mu);
           if (!env.current || env.current->id != req.matches[1]) {
             res.status = 400;
             res.set_content(R"({"errorType":"InvalidRequestID"})",
                             "application/json");
             return;
           }
           Fail(env, req.body);
           res.status = 202;
         });
  s.Post("/2018-06-01/runtime/init/error",
         [this, &env](const httplib::Request& req, httplib::Response& res) {
           spdlog::error("lambda-local: {} failed to start: {}",
                         env.fn->spec.name, req.body);
           res.status = 202;
         });
}

// Requires mu. The current event of `env` failed.
void LocalLambda::Impl::Fail(Environment& env, const std::string& error_body) {
  Event e = std::move(*env.current);
  env.current.reset();
  ++stats.failed;
  Function* fn = env.fn;
  if (!e.destination && e.delivery <= fn->spec.max_retries) {
    spdlog::info("lambda-local: {} {} failed (delivery {}), retrying",
                 fn->spec.name, e.id, e.delivery);
    const auto due = Clock::now() + options.retry_delay * e.delivery;
    ++e.delivery;
    ++stats.retries;
    delayed.emplace(due, std::make_pair(fn, std::move(e)));
    return;
  }
  if (!e.destination && fn->spec.on_failure_self) {
    json response = json::object();
    if (json::accept(error_body)) response = json::parse(error_body);
    json record = {{"version", "1.0"},
                   {"timestamp", Iso8601Now()},
                   {"requestContext",
                    {{"requestId", e.id},
                     {"functionArn", "arn:aws:lambda:" + options.region +
                                         ":000000000000:function:" +
                                         fn->spec.name + ":$LATEST"},
                     {"condition", "RetriesExhausted"},
                     {"approximateInvokeCount", e.delivery}}},
                   {"requestPayload", json::parse(e.body)},
                   {"responseContext",
                    {{"statusCode", 200},
                     {"executedVersion", "$LATEST"},
                     {"functionError", "Unhandled"}}},
                   {"responsePayload", response}};
    ++stats.destinations;
    fn->queue.push_back(Event{NewUuid(), record.dump(), 1, true});
    cv.notify_all();
    return;
  }
  ++stats.dropped;
  spdlog::warn("lambda-local: {} {} failed on its last delivery: {}",
               fn->spec.name, e.id, error_body);
}

// Requires mu.
void LocalLambda::Impl::Spawn(Environment& env) {
  if (options.in_process) {
    // Started once; it lives until Stop.
    if (env.in_process.joinable()) return;
    env.in_process =
        std::thread([this, name = env.fn->spec.name,
                     api = "127.0.0.1:" + std::to_string(env.port)] {
          options.in_process->run(name, api, in_process_stopping);
        });
    ++stats.starts;
    return;
  }
  std::map<std::string, std::string> vars = env.fn->spec.env;
  vars["UNUM_STORE"] = options.store_url;
  vars["UNUM_PLATFORM"] = "lambda://?region=" + options.region +
                          "&endpoint=http%3A%2F%2F127.0.0.1%3A" +
                          std::to_string(port);
  vars["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:" + std::to_string(env.port);
  vars["_HANDLER"] = env.fn->spec.name;
  vars["LAMBDA_TASK_ROOT"] = env.fn->dir;
  vars["AWS_LAMBDA_FUNCTION_NAME"] = env.fn->spec.name;
  vars["AWS_REGION"] = options.region;
  vars["AWS_DEFAULT_REGION"] = options.region;
  vars["AWS_ACCESS_KEY_ID"] = credentials.access_key_id;
  vars["AWS_SECRET_ACCESS_KEY"] = credentials.secret_access_key;
  if (!credentials.session_token.empty()) {
    vars["AWS_SESSION_TOKEN"] = credentials.session_token;
  }
  vars["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  vars["LD_LIBRARY_PATH"] = env.fn->dir + "/lib";
  vars["UNUM_LOG_LEVEL"] = EnvOr("UNUM_LOG_LEVEL", "warn");
  std::vector<std::string> entries;
  for (const auto& [k, v] : vars) entries.push_back(k + "=" + v);
  ChildSpec spec{.argv = {(fs::path(env.fn->dir) / "bootstrap").string()},
                 .working_dir = env.fn->dir,
                 .env = std::move(entries)};
  spec.out = ChildStream::ParentStderr();  // logs, not the service's stdout
  auto process = ChildProcess::Start(spec);
  if (!process.ok()) {
    spdlog::error("lambda-local: cannot start {}: {}", env.fn->spec.name,
                  process.status().message());
    env.restart_at = Clock::now() + std::chrono::seconds(1);
    return;
  }
  env.process = std::move(process).value();
  ++stats.starts;
}

void LocalLambda::Impl::Supervise() {
  std::unique_lock<std::mutex> lock(mu);
  while (!stopping) {
    const auto now = Clock::now();
    while (!delayed.empty() && delayed.begin()->first <= now) {
      auto [fn, e] = std::move(delayed.begin()->second);
      delayed.erase(delayed.begin());
      fn->queue.push_back(std::move(e));
      cv.notify_all();
    }
    for (auto& env : envs) {
      if (options.in_process) {
        Spawn(*env);
        continue;
      }
      if (env->process != nullptr) {
        if (const auto exit = env->process->TryWait()) {
          spdlog::warn("lambda-local: {} process {} exited ({})",
                       env->fn->spec.name, env->process->pid(),
                       exit->ToString());
          env->process.reset();
          ++env->generation;
          cv.notify_all();
          if (env->current) {
            Fail(*env, R"({"errorType":"Runtime.ExitError",)"
                       R"("errorMessage":"the runtime exited"})");
          }
          env->restart_at = now + std::chrono::milliseconds(200);
        }
      } else if (now >= env->restart_at) {
        Spawn(*env);
      }
    }
    cv.wait_for(lock, std::chrono::milliseconds(20));
  }
}

Status LocalLambda::Impl::StartServers() {
  auto small_pool = [] { return new httplib::ThreadPool(4); };
  invoke_server = std::make_unique<httplib::Server>();
  // httplib serves a keep-alive connection on one pool thread for its whole
  // life, and every process (plus `unum run`) keeps one open: a thread each.
  const size_t invoke_threads =
      8 + 2 * functions.size() * std::max(1, options.environments);
  invoke_server->new_task_queue = [invoke_threads] {
    return new httplib::ThreadPool(invoke_threads);
  };
  // httplib closes a keep-alive connection after 5 requests by default; a
  // new connection per 5 invocations also overflows its listen backlog (5)
  // under load, costing a 1 s SYN retransmit.
  invoke_server->set_keep_alive_max_count(1000000);
  // Stop waits for idle keep-alive connections to time out.
  invoke_server->set_keep_alive_timeout(1);
  // The 256 KB limit is checked by the handler, with Lambda's error.
  invoke_server->set_payload_max_length(8 * 1024 * 1024);
  ServeInvoke(*invoke_server);
  port = options.port > 0
             ? (invoke_server->bind_to_port("127.0.0.1", options.port)
                    ? options.port
                    : -1)
             : invoke_server->bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    return Status::Unavailable("cannot listen on 127.0.0.1:" +
                               std::to_string(options.port));
  }
  invoke_thread = std::thread([this] { invoke_server->listen_after_bind(); });
  for (auto& [name, fn] : functions) {
    for (int i = 0; i < std::max(1, options.environments); ++i) {
      auto env = std::make_unique<Environment>();
      env->fn = fn.get();
      env->index = i;
      env->server = std::make_unique<httplib::Server>();
      env->server->new_task_queue = small_pool;
      env->server->set_keep_alive_max_count(1000000);
      ServeRuntime(*env);
      env->port = env->server->bind_to_any_port("127.0.0.1");
      if (env->port <= 0) {
        return Status::Unavailable("cannot listen on a loopback port");
      }
      Environment* raw = env.get();
      env->thread = std::thread([raw] { raw->server->listen_after_bind(); });
      envs.push_back(std::move(env));
    }
  }
  supervisor = std::thread([this] { Supervise(); });
  return Status::Ok();
}

void LocalLambda::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopped) return;
    stopped = true;
    stopping = true;
    in_process_stopping = true;
    cv.notify_all();
  }
  if (supervisor.joinable()) supervisor.join();
  for (auto& env : envs) env->process.reset();  // kills it
  for (auto& env : envs) {
    env->server->stop();
    if (env->thread.joinable()) env->thread.join();
    if (env->in_process.joinable()) env->in_process.join();
  }
  if (invoke_server) invoke_server->stop();
  if (invoke_thread.joinable()) invoke_thread.join();
  if (!work_dir.empty()) {
    std::error_code ec;
    fs::remove_all(work_dir, ec);
  }
}

LocalLambda::LocalLambda(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LocalLambda::~LocalLambda() { Stop(); }

Result<std::unique_ptr<LocalLambda>> LocalLambda::Start(
    LocalLambdaOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  std::unique_ptr<LocalLambda> service(new LocalLambda(std::move(impl)));
  Impl& i = *service->impl_;
  UNUM_RETURN_IF_ERROR(i.LoadTemplate());
  UNUM_RETURN_IF_ERROR(i.Unpack());
  UNUM_RETURN_IF_ERROR(i.StartServers());
  return service;
}

void LocalLambda::Stop() { impl_->Stop(); }

int LocalLambda::port() const { return impl_->port; }

std::vector<std::string> LocalLambda::functions() const {
  std::vector<std::string> names;
  for (const auto& [name, fn] : impl_->functions) names.push_back(name);
  return names;
}

LocalLambdaStats LocalLambda::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

bool LocalLambda::Idle() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->delayed.empty()) return false;
  for (const auto& [name, fn] : impl_->functions) {
    if (!fn->queue.empty()) return false;
  }
  for (const auto& env : impl_->envs) {
    if (env->current) return false;
  }
  return true;
}

}  // namespace unum::lambda
