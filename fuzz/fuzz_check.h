// FUZZ_CHECK(cond): a property a fuzz target asserts. A violation aborts
// with the condition, so libFuzzer saves the input and the corpus replay
// test fails; unlike assert() it is not compiled out in release builds.
#ifndef UNUM_FUZZ_FUZZ_CHECK_H_
#define UNUM_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                   \
      std::abort();                                                    \
    }                                                                  \
  } while (0)

#endif  // UNUM_FUZZ_FUZZ_CHECK_H_
