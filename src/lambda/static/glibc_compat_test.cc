// glibc_compat.cc against the glibc this test runs on (2.35 or later has
// the real functions): the hidden definitions are what this executable
// calls, glibc's are found with dlsym.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <link.h>

#include <cstdint>
#include <set>

extern "C" int _dl_find_object(void* pc, dl_find_object* result) noexcept;
extern "C" uint32_t arc4random() noexcept;

namespace {

using FindObject = int (*)(void*, dl_find_object*);

FindObject GlibcFindObject() {
  return reinterpret_cast<FindObject>(dlsym(RTLD_DEFAULT, "_dl_find_object"));
}

int LocalFunction() { return 42; }

void ExpectSameAsGlibc(void* pc) {
  dl_find_object ours{};
  ASSERT_EQ(_dl_find_object(pc, &ours), 0);
  EXPECT_LE(reinterpret_cast<uintptr_t>(ours.dlfo_map_start),
            reinterpret_cast<uintptr_t>(pc));
  EXPECT_GT(reinterpret_cast<uintptr_t>(ours.dlfo_map_end),
            reinterpret_cast<uintptr_t>(pc));
  ASSERT_NE(ours.dlfo_eh_frame, nullptr);
  FindObject glibc = GlibcFindObject();
  if (glibc == nullptr) GTEST_SKIP() << "glibc before 2.35: nothing to compare";
  dl_find_object theirs{};
  ASSERT_EQ(glibc(pc, &theirs), 0);
  EXPECT_EQ(ours.dlfo_eh_frame, theirs.dlfo_eh_frame);
  EXPECT_EQ(ours.dlfo_map_start, theirs.dlfo_map_start);
}

TEST(GlibcCompatTest, FindsTheExecutablesUnwindTables) {
  ExpectSameAsGlibc(reinterpret_cast<void*>(&LocalFunction));
}

TEST(GlibcCompatTest, FindsASharedLibrarysUnwindTables) {
  void* printf_address = dlsym(RTLD_DEFAULT, "printf");
  ASSERT_NE(printf_address, nullptr);
  ExpectSameAsGlibc(printf_address);
}

TEST(GlibcCompatTest, AnAddressOutsideEveryObjectIsNotFound) {
  dl_find_object ours{};
  EXPECT_EQ(_dl_find_object(reinterpret_cast<void*>(uintptr_t{16}), &ours), -1);
}

TEST(GlibcCompatTest, Arc4randomIsNotConstant) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 64; ++i) seen.insert(arc4random());
  // 64 draws of 32 bits: a repeat has probability below 1e-6.
  EXPECT_EQ(seen.size(), 64u);
}

}  // namespace
