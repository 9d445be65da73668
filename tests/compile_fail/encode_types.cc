// Encoded output types: a sink that demands encoded text takes only the
// matching encoder's result; raw strings and other contexts' encodings do not
// convert, and SanitizedHtml has no constructor from a string.
#include <string>

#include "bulwark/encode/encode.h"
#include "bulwark/encode/template.h"

using namespace bulwark::encode;

// Sinks for one context each.
int WriteHtml(const HtmlText& text) { return static_cast<int>(text.str().size()); }
int WriteQuery(const UrlComponent& value) { return static_cast<int>(value.str().size()); }
int InsertMarkup(const SanitizedHtml& html) { return static_cast<int>(html.str().size()); }

int main() {
  std::string name = "<script>alert(1)</script>";
#if BULWARK_CF_CASE == 0
// expect: control
  int a = WriteHtml(EncodeHtmlText(name));
  int b = WriteQuery(EncodeUrlComponent(name));
  int c = InsertMarkup(SanitizedHtml(EncodeHtmlText(name)));
  int d = InsertMarkup(SanitizedHtml::UnsafeFromTrustedMarkup("<b>constant</b>"));
  return a + b + c + d > 0 ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: invalid initialization|cannot convert|no matching|could not convert
  return WriteHtml(name);  // a raw string into an HTML sink
#endif
#if BULWARK_CF_CASE == 2
// expect: invalid initialization|cannot convert|no matching|could not convert
  return WriteHtml("literal");  // not even a literal
#endif
#if BULWARK_CF_CASE == 3
// expect: private|no matching
  HtmlText forged(name);  // minting encoded text without encoding
  return WriteHtml(forged);
#endif
#if BULWARK_CF_CASE == 4
// expect: invalid initialization|cannot convert|no matching|could not convert
  return WriteHtml(EncodeUrlComponent(name));  // another context's encoding
#endif
#if BULWARK_CF_CASE == 5
// expect: invalid initialization|cannot convert|no matching|could not convert
  return WriteHtml(EncodeHtmlAttribute(name));  // attribute encoding is not text encoding
#endif
#if BULWARK_CF_CASE == 6
// expect: invalid initialization|cannot convert|no matching|could not convert|private
  return InsertMarkup(SanitizedHtml(name));  // raw markup from a string
#endif
#if BULWARK_CF_CASE == 7
// expect: invalid initialization|cannot convert|no matching|could not convert
  return InsertMarkup(name);
#endif
#if BULWARK_CF_CASE == 8
// expect: private|no matching
  UrlComponent forged(std::string("a&b"));
  return WriteQuery(forged);
#endif
}
