// XML parser: never crashes (under ASan/UBSan) and an accepted document
// stays within the limits: depth, element count, attributes per element,
// name length, and the text budget (character data, attribute values and
// every copy of a namespace URI together). The text budget is small so that
// short inputs can reach it.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/xml/parser.h"

namespace {
struct Totals {
  std::size_t elements = 0;
  std::size_t text_bytes = 0;
  bool within_limits = true;
};

std::size_t Depth(const bulwark::xml::Element& e, const bulwark::xml::ParseLimits& limits,
                  Totals& t) {
  ++t.elements;
  t.text_bytes += e.text.size() + e.namespace_uri.size();
  if (e.name.size() > limits.max_name_bytes ||
      e.attributes.size() > limits.max_attributes_per_element) {
    t.within_limits = false;
  }
  for (const auto& a : e.attributes) {
    t.text_bytes += a.value.size() + a.namespace_uri.size();
    if (a.name.size() > limits.max_name_bytes) t.within_limits = false;
  }
  std::size_t deepest = 0;
  for (const auto& c : e.children) {
    std::size_t d = Depth(c, limits, t);
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
  limits.max_attributes_per_element = 16;
  limits.max_name_bytes = 64;
  limits.max_text_bytes = 4096;
  auto doc = bulwark::xml::Parse(text, limits);
  if (!doc.ok()) return 0;
  Totals t;
  if (Depth(doc->root, limits, t) > limits.max_depth || t.elements > limits.max_elements ||
      t.text_bytes > limits.max_text_bytes || !t.within_limits) {
    std::abort();
  }
  return 0;
}
