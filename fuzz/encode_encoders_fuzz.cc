// Every encoder on arbitrary bytes: never crashes, and the output never holds
// a character that would leave its context (aborts if it does).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/encode/encode.h"

namespace {

void Require(bool ok) {
  if (!ok) std::abort();
}

bool HasAny(const std::string& s, std::string_view chars) {
  return s.find_first_of(chars) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::encode;
  std::string_view in(reinterpret_cast<const char*>(data), size);

  const std::string html = EncodeHtmlText(in).str();
  Require(!HasAny(html, std::string_view("<>\"'`\0", 6)));
  const std::string attr = EncodeHtmlAttribute(in).str();
  Require(!HasAny(attr, std::string_view("<>\"'`\0", 6)));

  for (const std::string& url : {EncodeUrlComponent(in).str(), EncodeUrlPathSegment(in).str()}) {
    for (char c : url) {
      const auto u = static_cast<unsigned char>(c);
      Require((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~' || c == '%');
    }
  }
  const std::string segment = EncodeUrlPathSegment(in).str();
  Require(segment != "." && segment != "..");

  const std::string js = EncodeJsString(in).str();
  Require(!HasAny(js, std::string_view("\"'`<>&/\n\r\0", 10)));
  Require(js.find("\xE2\x80\xA8") == std::string::npos && js.find("\xE2\x80\xA9") == std::string::npos);

  const std::string css = EncodeCssString(in).str();
  Require(!HasAny(css, std::string_view("\"'<>{}();:\n\r\0", 13)));

  LogFieldOptions log_options;
  log_options.max_bytes = 64 + size % 512;
  log_options.delimiters = "|=";
  const std::string log = EncodeLogField(in, log_options).str();
  Require(log.size() <= log_options.max_bytes);
  for (char c : log) {
    const auto u = static_cast<unsigned char>(c);
    Require(u >= 0x20 && u != 0x7F && c != '|' && c != '=');
  }

  const std::string url_attr = EncodeUrlAttribute(in).str();
  Require(!HasAny(url_attr, std::string_view("<>\"'` \t\n\r\0", 10)));
  return 0;
}
