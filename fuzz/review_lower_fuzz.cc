// Fuzzes parse + lower + analysis: the first byte picks a language, the rest
// is source text. Hostile input must give findings or nothing, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/review/testing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* kExt[] = {".py", ".java", ".js", ".ts", ".tsx", ".c", ".cc"};
  std::string ext = kExt[data[0] % 7];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)bulwark::review::ReviewSourceForTest("input" + ext, text);
  return 0;
}
