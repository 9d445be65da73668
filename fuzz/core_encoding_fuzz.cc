// Strict decoders: never crash, and anything accepted re-encodes to exactly
// the input (the canonical-form guarantee).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/core/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = bulwark::Base64UrlDecode(text); r.ok()) {
    if (bulwark::Base64UrlEncode(*r) != text) std::abort();
  }
  if (auto r = bulwark::Base64Decode(text); r.ok()) {
    if (bulwark::Base64Encode(*r) != text) std::abort();
  }
  if (auto r = bulwark::HexDecode(text); r.ok()) {
    if (bulwark::HexDecode(bulwark::HexEncode(*r)).value() != *r) std::abort();
  }
  return 0;
}
