// String rules on arbitrary bytes: UTF-8 checking, normalization (valid
// output, idempotent) and every format check; never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/validate/strings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::validate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = IsValidUtf8(text);
  for (Normalization form : {Normalization::kNfc, Normalization::kNfkc,
                             Normalization::kNfkcCasefold}) {
    auto n = Normalize(text, form);
    if (n.ok() != valid) std::abort();
    if (!n.ok()) continue;
    if (!IsValidUtf8(*n)) std::abort();
    auto twice = Normalize(*n, form);
    if (!twice.ok() || *twice != *n) std::abort();
  }
  if (!valid) return 0;
  ViolationCode code;
  (void)CheckCharacters(text, {}, &code);
  for (Format f : {Format::kEmail, Format::kUrl, Format::kUuid, Format::kTimestamp, Format::kDate,
                   Format::kIpv4, Format::kIpv6, Format::kIp, Format::kIdentifier, Format::kSlug}) {
    auto r = CheckFormat(text, f);
    if (r.ok()) {
      // Normalized output is itself accepted, unchanged.
      auto again = CheckFormat(*r, f);
      if (!again.ok() || *again != *r) std::abort();
    }
  }
  return 0;
}
