#include "app/runner.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "common/uuid.h"
#include "runtime/payload.h"

namespace unum::app {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(200);

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A redis:// platform queues work for `unum worker` processes in the app's
// queue, found by name: add ?app=<name> unless the URL names it.
std::string PlatformUrlFor(const std::string& url, const std::string& app) {
  if (url.rfind("redis:", 0) != 0 || url.find("?app=") != std::string::npos ||
      url.find("&app=") != std::string::npos) {
    return url;
  }
  std::string escaped;
  for (unsigned char c : app) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      escaped.push_back(static_cast<char>(c));
    } else {
      escaped += fmt::format("%{:02X}", c);
    }
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "app=" +
         escaped;
}

}  // namespace

Result<RunReport> RunWorkflow(const App& app, const FunctionTable& functions,
                              const json& input, Datastore* store,
                              const RunOptions& options) {
  UNUM_ASSIGN_OR_RETURN(
      std::unique_ptr<HostedPlatform> hosted,
      OpenPlatform(PlatformUrlFor(options.platform_url, app.name)));
  HostedPlatform& platform = *hosted;
  runtime::Runtime rt(store, &platform, options.runtime);
  for (const auto& [name, spec] : app.functions) {
    auto fn = functions.functions.find(name);
    if (fn == functions.functions.end()) {
      return Status::NotFound("function \"" + name + "\" has no code");
    }
    UNUM_RETURN_IF_ERROR(
        rt.AddFunction(spec.config, fn->second, functions.PlannerOf(name)));
  }
  if (options.fault_hook) rt.SetFaultHook(options.fault_hook);
  rt.SetDeliveryObserver(options.observer);
  platform.SetExhaustedCallback([](const Invocation& inv, const Status& s) {
    spdlog::debug("{}: gave up after {} attempts: {}", inv.function,
                  inv.attempt, s.ToString());
  });

  if (options.resume && options.session.empty()) {
    return Status::InvalidArgument("resuming needs the session id");
  }
  RunReport report;
  report.session = options.session.empty() ? NewUuid() : options.session;
  const auto start = Clock::now();
  platform.Start([&rt](const Invocation& inv) { return rt.Handle(inv); });
  if (!options.resume) {
    UNUM_RETURN_IF_ERROR(platform.Invoke(
        app.start_function, runtime::StartPayload(input, report.session)));
  }

  // Wait for the session record, waking for progress reports.
  std::optional<std::string> record;
  Datastore* poll = options.poll_store ? options.poll_store : store;
  auto has_record = [&]() {
    auto r = poll->GetSessionRecord(report.session);
    if (r.ok() && r->present()) {
      record = r->value;
      return true;
    }
    return false;
  };
  Status waited;
  while (true) {
    auto remaining = options.timeout -
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         Clock::now() - start);
    if (remaining <= std::chrono::milliseconds(0)) {
      waited = Status::DeadlineExceeded("");
      break;
    }
    waited = platform.WaitUntil(has_record,
                                std::min<std::chrono::milliseconds>(
                                    remaining, kProgressInterval));
    if (waited.code() != StatusCode::kDeadlineExceeded) break;
    if (options.on_progress) {
      const auto ps = platform.stats();
      options.on_progress(Progress{rt.stats().instances_done,
                                   ps.queued + ps.running + ps.delayed,
                                   SecondsSince(start)});
    }
  }
  if (!record && waited.code() == StatusCode::kFailedPrecondition) {
    // The platform went idle; the record may have landed just before.
    has_record();
  }
  if (!record) {
    platform.Stop();
    if (waited.code() == StatusCode::kDeadlineExceeded) {
      return Status::DeadlineExceeded(
          "session " + report.session + " did not finish within " +
          std::to_string(options.timeout.count() / 1000) + " s");
    }
    return Status::FailedPrecondition(
        "session " + report.session +
        " stopped without a result: no function wrote the session record "
        "(is every path ending in a terminal function?)");
  }
  // Let GC and straggling duplicates drain so the store holds only the
  // session record afterwards.
  (void)platform.WaitUntil([] { return false; }, std::chrono::seconds(60));
  platform.Stop();
  report.seconds = SecondsSince(start);
  UNUM_ASSIGN_OR_RETURN(report.outcome,
                        runtime::DecodeSessionRecord(*record));
  report.runtime = rt.stats();
  report.platform = platform.stats();
  return report;
}

}  // namespace unum::app
