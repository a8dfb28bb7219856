// Linked into unum-lambda-bootstrap only. The bootstrap links libstdc++ and
// libgcc statically (see docs/aws.md, "Linking the bootstrap"), and GCC 12's
// archives, built against Debian 12's glibc 2.36, call two functions that
// Amazon Linux 2023's glibc 2.34 does not have:
//
// - arc4random (GLIBC_2.36), from std::random_device in libstdc++.a;
// - _dl_find_object (GLIBC_2.35), from the exception unwinder in
//   libgcc_eh.a, to find the unwind tables of the code a frame is in.
//
// Defining them here makes the static linker bind those calls to these
// definitions instead of libc.so.6's versioned symbols, so the executable
// needs no GLIBC version above 2.34. Both are built on interfaces glibc has
// had for years: getrandom (2.25) and dl_iterate_phdr (2.2.4).
#include <dlfcn.h>
#include <link.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace {

struct FindRequest {
  uintptr_t pc;
  dl_find_object* result;
};

// dl_iterate_phdr callback: fills the request's result and stops (returns
// 1) at the loaded object with a PT_LOAD segment containing the pc.
int FindObjectOf(dl_phdr_info* info, size_t, void* data) {
  auto* request = static_cast<FindRequest*>(data);
  uintptr_t low = UINTPTR_MAX;
  uintptr_t high = 0;
  bool contains = false;
  void* eh_frame = nullptr;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& phdr = info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + phdr.p_vaddr;
    if (phdr.p_type == PT_LOAD) {
      const uintptr_t end = start + phdr.p_memsz;
      if (start < low) low = start;
      if (end > high) high = end;
      if (request->pc >= start && request->pc < end) contains = true;
    } else if (phdr.p_type == PT_GNU_EH_FRAME) {
      eh_frame = reinterpret_cast<void*>(start);
    }
  }
  if (!contains) return 0;
  dl_find_object* result = request->result;
  result->dlfo_flags = 0;
  result->dlfo_map_start = reinterpret_cast<void*>(low);
  result->dlfo_map_end = reinterpret_cast<void*>(high);
  result->dlfo_link_map = nullptr;
  result->dlfo_eh_frame = eh_frame;
  return 1;
}

}  // namespace

extern "C" {

// glibc's contract: 0 and *result filled when pc lies in a loaded object,
// -1 otherwise. libgcc reads dlfo_eh_frame (the PT_GNU_EH_FRAME segment,
// .eh_frame_hdr) and nothing else on x86-64.
int _dl_find_object(void* pc, dl_find_object* result) noexcept {
  FindRequest request{reinterpret_cast<uintptr_t>(pc), result};
  return dl_iterate_phdr(FindObjectOf, &request) == 1 ? 0 : -1;
}

// Uniformly random 32 bits from the kernel; like glibc's, it never fails
// (it aborts if the kernel cannot supply randomness at all).
uint32_t arc4random() noexcept {
  uint32_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  size_t got = 0;
  while (got < sizeof(value)) {
    const ssize_t n = getrandom(bytes + got, sizeof(value) - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      std::abort();
    }
  }
  return value;
}

}  // extern "C"
