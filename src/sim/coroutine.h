// Coroutine: a stackful coroutine on ucontext, so the simulator can run
// many deliveries "at once" on one OS thread and choose, with its seeded
// RNG, which one takes the next step. Switching is explicit (Resume /
// Yield), so an interleaving is a pure function of the scheduler's choices.
//
//   Coroutine co([] { ...; Coroutine::Yield(); ...; });
//   while (!co.done()) co.Resume();
//
// Each coroutine has its own stack (mmap'ed, with a guard page, recycled
// through a per-thread pool). An exception escaping the body is caught and
// rethrown from the Resume that finished it.
//
// Thread-safety: a coroutine must be resumed on one thread at a time; the
// per-thread state (current coroutine, stack pool) is thread_local, so
// independent simulations may run on different threads.
#ifndef UNUM_SIM_COROUTINE_H_
#define UNUM_SIM_COROUTINE_H_

#include <ucontext.h>

#include <cstddef>
#include <exception>
#include <functional>

namespace unum::sim {

class Coroutine {
 public:
  static constexpr size_t kDefaultStackSize = 1 << 20;  // 1 MiB (lazy pages)

  explicit Coroutine(std::function<void()> body,
                     size_t stack_size = kDefaultStackSize);
  ~Coroutine();  // the body must have finished (or never started)

  Coroutine(const Coroutine&) = delete;
  Coroutine& operator=(const Coroutine&) = delete;

  // Runs the body until it yields or returns. Precondition: !done().
  void Resume();

  // Called from inside a body: suspends it and returns from its Resume.
  // Does nothing when not inside a coroutine.
  static void Yield();

  // The coroutine running on this thread, or nullptr.
  static Coroutine* Current();

  bool done() const { return done_; }
  bool started() const { return started_; }

 private:
  static void Trampoline(unsigned hi, unsigned lo);

  std::function<void()> body_;
  size_t stack_size_;
  void* stack_ = nullptr;  // mapping including the guard page
  ucontext_t context_;
  ucontext_t caller_;
  bool started_ = false;
  bool done_ = false;
  std::exception_ptr error_;
};

}  // namespace unum::sim

#endif  // UNUM_SIM_COROUTINE_H_
