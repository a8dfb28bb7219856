#include "sim/coroutine.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

namespace unum::sim {

namespace {

thread_local Coroutine* tls_current = nullptr;

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

// Recycles stacks of one size per thread: a run creates and finishes
// dozens of deliveries, and mmap/munmap per delivery would dominate.
struct StackPool {
  size_t size = 0;
  std::vector<void*> free;
  ~StackPool() {
    for (void* p : free) munmap(p, size + PageSize());
  }
};
thread_local StackPool tls_pool;

void* AllocateStack(size_t size) {
  if (tls_pool.size == size && !tls_pool.free.empty()) {
    void* p = tls_pool.free.back();
    tls_pool.free.pop_back();
    return p;
  }
  const size_t total = size + PageSize();
  void* p = mmap(nullptr, total, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // The lowest page guards against overflow (stacks grow down).
  mprotect(p, PageSize(), PROT_NONE);
  return p;
}

void FreeStack(void* p, size_t size) {
  if (tls_pool.size == 0) tls_pool.size = size;
  if (tls_pool.size == size && tls_pool.free.size() < 256) {
    tls_pool.free.push_back(p);
    return;
  }
  munmap(p, size + PageSize());
}

}  // namespace

Coroutine::Coroutine(std::function<void()> body, size_t stack_size)
    : body_(std::move(body)), stack_size_(stack_size) {}

Coroutine::~Coroutine() {
  if (stack_ != nullptr) FreeStack(stack_, stack_size_);
}

Coroutine* Coroutine::Current() { return tls_current; }

void Coroutine::Trampoline(unsigned hi, unsigned lo) {
  auto* self = reinterpret_cast<Coroutine*>((static_cast<uintptr_t>(hi) << 32) |
                                            static_cast<uintptr_t>(lo));
  try {
    self->body_();
  } catch (...) {
    self->error_ = std::current_exception();
  }
  self->done_ = true;
  // Back to the last Resume; this context is never resumed again.
  setcontext(&self->caller_);
  std::abort();  // unreachable
}

void Coroutine::Resume() {
  if (done_) return;
  if (!started_) {
    started_ = true;
    stack_ = AllocateStack(stack_size_);
    getcontext(&context_);
    context_.uc_stack.ss_sp = static_cast<char*>(stack_) + PageSize();
    context_.uc_stack.ss_size = stack_size_;
    context_.uc_link = nullptr;
    const auto bits = reinterpret_cast<uintptr_t>(this);
    makecontext(&context_, reinterpret_cast<void (*)()>(&Trampoline), 2,
                static_cast<unsigned>(bits >> 32),
                static_cast<unsigned>(bits & 0xFFFFFFFFu));
  }
  Coroutine* previous = tls_current;
  tls_current = this;
  swapcontext(&caller_, &context_);
  tls_current = previous;
  if (done_ && error_) {
    std::exception_ptr e = std::exchange(error_, nullptr);
    std::rethrow_exception(e);
  }
}

void Coroutine::Yield() {
  Coroutine* self = tls_current;
  if (self == nullptr) return;
  swapcontext(&self->context_, &self->caller_);
}

}  // namespace unum::sim
