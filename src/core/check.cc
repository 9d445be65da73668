#include "bulwark/core/check.h"

#include <cstdio>
#include <cstdlib>

namespace bulwark::internal {

void CheckFailed(const char* file, int line, const char* condition) noexcept {
  std::fprintf(stderr, "bulwark: invariant violated at %s:%d: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace bulwark::internal
