// Filename sanitizer: never crashes; the result is never empty, has no path
// separator, quote, control character or leading dot, fits the size limit,
// is valid UTF-8 (it passes the path checker) and is stable; the
// Content-Disposition value has no CR/LF and exactly two quotes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/files/download.h"
#include "bulwark/files/root.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string name = bulwark::files::SanitizeFilename(text);
  if (name.empty() || name.size() > 200 || name.front() == '.' || name.front() == ' ') std::abort();
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || c == '"' || c == '%' || u < 0x20 || u == 0x7F) std::abort();
  }
  if (!bulwark::files::CheckRelativeName(name).ok()) std::abort();
  if (bulwark::files::SanitizeFilename(name) != name) std::abort();
  std::string cd = bulwark::files::ContentDispositionAttachment(text);
  if (cd.find_first_of("\r\n") != std::string::npos) std::abort();
  if (std::count(cd.begin(), cd.end(), '"') != 2) std::abort();
  return 0;
}
