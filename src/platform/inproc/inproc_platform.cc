// InprocPlatform: see inproc_platform.h.
#include "platform/inproc/inproc_platform.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <set>
#include <string_view>
#include <utility>

#include "common/url_options.h"

namespace unum {
namespace {

// Longest delay honoured; longer ones are clamped so time arithmetic cannot
// overflow. Far beyond any Wait state or retry backoff.
constexpr std::chrono::milliseconds kMaxDelay = std::chrono::hours(24 * 365);

// How often WaitUntil re-checks its condition while deliveries finish.
constexpr std::chrono::microseconds kWaitCheckPeriod{1000};

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid inproc URL '" + url + "': " + why);
}

// Invokes made by the delivery running on this worker thread (for the
// latency model's batches of max_in_flight).
thread_local int64_t tl_invokes_in_delivery = 0;
// The platform whose worker this thread is (null elsewhere), and how many
// ready invocations its current delivery queued.
thread_local const void* tl_worker_of = nullptr;
thread_local int64_t tl_ready_queued = 0;

}  // namespace

Result<InprocOptions> ParseInprocUrl(const std::string& url) {
  std::string_view rest(url);
  if (!rest.starts_with("inproc:")) {
    return BadUrl(url, "the scheme must be inproc://");
  }
  rest.remove_prefix(std::string_view("inproc:").size());
  if (rest.starts_with("//")) rest.remove_prefix(2);

  InprocOptions options;
  if (rest.empty()) return options;
  if (rest.front() != '?') {
    return BadUrl(url, "inproc:// takes no host or path, only ?options");
  }
  rest.remove_prefix(1);

  struct Option {
    std::string_view name;
    int64_t lo;
    int64_t hi;
  };
  static constexpr Option kOptions[] = {
      {"workers", 0, 4096},
      {"max_attempts", 1, 1000},
      {"retry_backoff_ms", 0, int64_t{24} * 3600 * 1000},
  };

  auto pairs = ParseUrlOptions(rest);
  if (!pairs.ok()) return BadUrl(url, pairs.status().message());
  for (const auto& [name, text] : *pairs) {
    if (name != "read_ms" && name != "write_ms") {
      auto latency = ApplyLatencyOption(name, text, &options.latency);
      if (!latency.ok()) return BadUrl(url, latency.status().message());
      if (*latency) continue;
    }
    const Option* option = nullptr;
    for (const Option& o : kOptions) {
      if (o.name == name) option = &o;
    }
    if (option == nullptr) {
      return BadUrl(url, UnknownUrlOption(
                             name, {"workers", "max_attempts",
                                    "retry_backoff_ms", "latency", "invoke_ms",
                                    "latency_spread", "max_in_flight"})
                             .message());
    }
    int64_t value = 0;
    if (!ParseInt(text, option->lo, option->hi, &value)) {
      return BadUrl(
          url, BadIntegerOption(name, option->lo, option->hi, text).message());
    }
    if (name == "workers") {
      options.workers = static_cast<int>(value);
    } else if (name == "max_attempts") {
      options.max_attempts = static_cast<int>(value);
    } else {
      options.retry_backoff = std::chrono::milliseconds(value);
    }
  }
  return options;
}

namespace {

InprocOptions Clamp(InprocOptions options) {
  options.workers = std::max(options.workers, 0);
  options.max_attempts = std::max(options.max_attempts, 1);
  options.retry_backoff = std::clamp(options.retry_backoff,
                                     std::chrono::milliseconds(0), kMaxDelay);
  return options;
}

}  // namespace

InprocPlatform::InprocPlatform(InprocOptions options)
    : options_(Clamp(options)) {}

InprocPlatform::~InprocPlatform() {
  Stop();
  // Only left when Stop ran on a worker thread (a misuse); it cannot join
  // itself.
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.detach();
  }
}

void InprocPlatform::Start(InvocationHandler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) {
    spdlog::warn("inproc platform: Start ignored ({})",
                 stopping_ ? "already stopped" : "already started");
    return;
  }
  started_ = true;
  handler_ = std::move(handler);
  int n = options_.workers;
  if (n == 0 && options_.latency.enabled()) n = 1024;
  if (n == 0) n = static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  workers_.reserve(n);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

void InprocPlatform::Stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    ready_.clear();
    delayed_ = {};
    ++generation_;
    workers.swap(workers_);
  }
  work_cv_.notify_all();
  finished_cv_.notify_all();
  const std::thread::id self = std::this_thread::get_id();
  for (std::thread& worker : workers) {
    if (worker.get_id() == self) {
      spdlog::error("inproc platform: Stop called from a handler");
      std::lock_guard<std::mutex> lock(mu_);
      workers_.push_back(std::move(worker));
      continue;
    }
    worker.join();
  }
}

Status InprocPlatform::Invoke(const std::string& function,
                              nlohmann::json payload) {
  return Enqueue(
      std::chrono::milliseconds(0),
      Invocation{.function = function, .payload = std::move(payload)});
}

Status InprocPlatform::InvokeAfter(std::chrono::milliseconds delay,
                                   const std::string& function,
                                   nlohmann::json payload) {
  return Enqueue(
      delay, Invocation{.function = function, .payload = std::move(payload)});
}

Status InprocPlatform::InvokeDecoded(
    std::chrono::milliseconds delay, const std::string& function,
    std::shared_ptr<const runtime::Payload> payload) {
  return Enqueue(
      delay, Invocation{.function = function, .decoded = std::move(payload)});
}

Status InprocPlatform::Enqueue(std::chrono::milliseconds delay,
                               Invocation invocation) {
  const std::string& function = invocation.function;
  delay = std::min(delay, kMaxDelay);
  Clock::time_point due = Clock::now() + delay;
  bool immediate = delay <= std::chrono::milliseconds(0);
  if (options_.latency.invoke.count() > 0) {
    // Sent in batches of max_in_flight: this one is in batch k.
    const int64_t batch =
        tl_invokes_in_delivery++ / std::max(options_.latency.max_in_flight, 1);
    const auto latency = options_.latency.Sample(options_.latency.invoke);
    due += latency * (batch + 1);
    immediate = false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      return Status::FailedPrecondition(
          "inproc platform is stopped; cannot invoke '" + function + "'");
    }
    ++stats_.invocations;
    if (immediate) {
      ready_.push_back(std::move(invocation));
    } else {
      delayed_.push(Delayed{
          .due = due, .seq = next_seq_++, .invocation = std::move(invocation)});
    }
  }
  // The first ready invocation a delivery queues is left to its own worker,
  // which takes it as soon as the delivery returns (a chain hands over
  // without waking a thread); further ones wake other workers, which run
  // them in parallel. For delayed work this wakes a worker to shorten its
  // wait if needed.
  if (!immediate || tl_worker_of != this || tl_ready_queued++ > 0) {
    work_cv_.notify_one();
  }
  return Status::Ok();
}

int InprocPlatform::MaxAttempts() const { return options_.max_attempts; }

void InprocPlatform::PromoteDueLocked(Clock::time_point now) {
  while (!delayed_.empty() && delayed_.top().due <= now) {
    // priority_queue::top is const; the element is popped right after.
    ready_.push_back(
        std::move(const_cast<Delayed&>(delayed_.top()).invocation));
    delayed_.pop();
  }
}

bool InprocPlatform::IdleLocked() const {
  return ready_.empty() && delayed_.empty() && stats_.running == 0;
}

Status InprocPlatform::RunHandler(const Invocation& invocation) {
  // handler_ is written once in Start, before any worker exists.
  return CallHandler(handler_, invocation, "inproc");
}

void InprocPlatform::WorkerLoop() {
  tl_worker_of = this;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    PromoteDueLocked(Clock::now());
    if (ready_.empty()) {
      if (delayed_.empty()) {
        work_cv_.wait(lock);
      } else {
        work_cv_.wait_until(lock, delayed_.top().due);
      }
      continue;
    }
    Invocation invocation = std::move(ready_.front());
    ready_.pop_front();
    // Pass the wake-up on: more items may be ready, and while this worker
    // runs, an idle one must take over the timed wait for delayed work.
    if (!ready_.empty() || !delayed_.empty()) work_cv_.notify_one();
    ++stats_.running;
    lock.unlock();

    tl_invokes_in_delivery = 0;
    tl_ready_queued = 0;
    Status status = RunHandler(invocation);

    std::function<void(const Invocation&, const Status&)> exhausted_cb;
    bool exhausted = false;
    lock.lock();
    if (status.ok()) {
      ++stats_.completed;
    } else {
      ++stats_.failed_attempts;
      if (invocation.attempt < options_.max_attempts) {
        if (!stopping_) {
          ++stats_.retries;
          // retry_backoff * 2^(attempt-1), saturating at kMaxDelay.
          std::chrono::milliseconds backoff = options_.retry_backoff;
          for (int i = 1; i < invocation.attempt && backoff < kMaxDelay; ++i) {
            backoff *= 2;
          }
          backoff = std::min(backoff, kMaxDelay);
          spdlog::debug(
              "inproc platform: '{}' attempt {} failed ({}); retry "
              "in {} ms",
              invocation.function, invocation.attempt, status.ToString(),
              backoff.count());
          invocation.attempt += 1;
          // This worker re-evaluates its wait on the next loop iteration.
          delayed_.push(Delayed{.due = Clock::now() + backoff,
                                .seq = next_seq_++,
                                .invocation = std::move(invocation)});
        }
      } else {
        ++stats_.exhausted;
        exhausted = true;
        exhausted_cb = exhausted_cb_;
      }
    }
    if (exhausted) {
      lock.unlock();
      if (exhausted_cb) {
        try {
          // Not moved from: only the retry branch moves `invocation`.
          exhausted_cb(invocation, status);  // NOLINT(bugprone-use-after-move)
        } catch (...) {
          spdlog::error("inproc platform: exhausted callback threw");
        }
      } else {
        spdlog::warn("inproc platform: '{}' failed all {} attempts: {}",
                     invocation.function, invocation.attempt,
                     status.ToString());
      }
      lock.lock();
    }
    --stats_.running;
    ++generation_;
    // Waking a WaitUntil caller costs a context switch and its check: do it
    // when the platform went idle or the last check is a while ago, not
    // after every delivery (WaitUntil also re-checks on its own then).
    if (IdleLocked() || Clock::now() - last_wait_check_ >= kWaitCheckPeriod) {
      finished_cv_.notify_all();
    }
  }
}

Status InprocPlatform::WaitUntil(const std::function<bool()>& done,
                                 std::chrono::milliseconds timeout) {
  const Clock::time_point deadline =
      Clock::now() + std::min(timeout, kMaxDelay);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    const uint64_t seen = generation_;
    const bool idle = IdleLocked();
    // done() may read the datastore or even invoke: never call it locked.
    lock.unlock();
    if (done()) return Status::Ok();
    if (idle) {
      return Status::FailedPrecondition(
          "idle: nothing queued, delayed or running, and the condition is "
          "still false");
    }
    lock.lock();
    last_wait_check_ = Clock::now();
    bool changed = false;
    while (!changed && Clock::now() < deadline) {
      changed = finished_cv_.wait_until(
          lock, std::min(deadline, Clock::now() + kWaitCheckPeriod),
          [&] { return generation_ != seen; });
    }
    if (!changed) {
      const Stats s = stats_;
      const size_t queued = ready_.size();
      const size_t delayed = delayed_.size();
      lock.unlock();
      if (done()) return Status::Ok();
      return Status::DeadlineExceeded(
          "condition still false after " + std::to_string(timeout.count()) +
          " ms (queued=" + std::to_string(queued) +
          ", running=" + std::to_string(s.running) +
          ", delayed=" + std::to_string(delayed) + ")");
    }
  }
}

InprocPlatform::Stats InprocPlatform::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.queued = static_cast<int64_t>(ready_.size());
  s.delayed = static_cast<int64_t>(delayed_.size());
  return s;
}

void InprocPlatform::SetExhaustedCallback(
    std::function<void(const Invocation&, const Status&)> cb) {
  std::lock_guard<std::mutex> lock(mu_);
  exhausted_cb_ = std::move(cb);
}

}  // namespace unum
