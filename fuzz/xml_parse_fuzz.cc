// XML parser: never crashes (under ASan/UBSan) and an accepted document
// stays within the depth and element limits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/xml/parser.h"

namespace {
std::size_t Depth(const bulwark::xml::Element& e, std::size_t& count) {
  ++count;
  std::size_t deepest = 0;
  for (const auto& c : e.children) {
    std::size_t d = Depth(c, count);
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::xml::ParseLimits limits;
  limits.max_depth = 16;
  limits.max_elements = 1000;
  auto doc = bulwark::xml::Parse(text, limits);
  if (!doc.ok()) return 0;
  std::size_t count = 0;
  if (Depth(doc->root, count) > limits.max_depth || count > limits.max_elements) std::abort();
  return 0;
}
