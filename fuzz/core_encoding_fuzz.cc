// Strict decoders: never crash, and anything accepted re-encodes to exactly
// the input (the canonical-form guarantee), and the public base64url decoder
// agrees with the constant-time one.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/core/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto strict = bulwark::Base64UrlDecode(text);
  if (strict.ok() && bulwark::Base64UrlEncode(*strict) != text) std::abort();
  // Differential: the table decoder decides exactly like the libsodium one.
  auto fast = bulwark::Base64UrlDecodePublic(text);
  if (strict.ok() != fast.ok()) std::abort();
  if (strict.ok() && *strict != *fast) std::abort();
  if (auto r = bulwark::Base64Decode(text); r.ok()) {
    if (bulwark::Base64Encode(*r) != text) std::abort();
  }
  if (auto r = bulwark::HexDecode(text); r.ok()) {
    if (bulwark::HexDecode(bulwark::HexEncode(*r)).value() != *r) std::abort();
  }
  return 0;
}
