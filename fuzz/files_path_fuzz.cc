// Path checker: never crashes, and an accepted name has no traversal in any
// form (no absolute path, no '.'/'..' segment, no backslash, percent or NUL).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/files/root.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto checked = bulwark::files::CheckRelativeName(text);
  if (!checked.ok()) return 0;
  const std::string& name = *checked;
  if (name != text || name.empty() || name.front() == '/' || name.back() == '/') std::abort();
  if (name.find_first_of(std::string_view("\\%\0", 3)) != std::string::npos) std::abort();
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    std::string_view seg = std::string_view(name).substr(
        start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg.find_first_not_of('.') == std::string_view::npos) std::abort();
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return 0;
}
