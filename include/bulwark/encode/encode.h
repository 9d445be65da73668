#pragma once
// Context-aware output encoders. Each encoder turns arbitrary text (any
// bytes; invalid UTF-8 becomes U+FFFD or an escape, never passes through)
// into a typed result that is safe in exactly one output context. A sink
// that writes into a context takes that type, so unencoded text does not
// compile there:
//
//   void WriteCell(const HtmlText& cell);
//   WriteCell(EncodeHtmlText(user_name));   // ok
//   WriteCell(user_name);                   // does not compile
//
// Which encoder for which context:
//   element text            <p>HERE</p>                EncodeHtmlText
//   quoted attribute value  <p title="HERE">           EncodeHtmlAttribute
//   whole URL in attribute  <a href="HERE">            EncodeUrlAttribute
//   URL query value         ?q=HERE                    EncodeUrlComponent
//   URL path segment        /users/HERE/               EncodeUrlPathSegment
//   JS string literal       <script>var s = 'HERE';    EncodeJsString
//   CSS string              <style>a{content:"HERE"}   EncodeCssString
//   log line field          msg="HERE"                 EncodeLogField
// Unquoted attributes, event-handler attributes (onclick=...), and script
// or style outside a string literal have no encoder: do not put data there.
// The template engine (template.h) picks the encoder for you.
//
// Thread-safety: all functions are thread-safe; the result types are values.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::encode {

class Template;
class SanitizedHtml;

// Text encoded for HTML element content (also valid in a quoted attribute,
// but the attribute sink takes HtmlAttribute). & < > " ' ` are entities; NUL,
// other C0/C1 controls except \t \n \r, and invalid UTF-8 become U+FFFD.
class HtmlText {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const HtmlText&, const HtmlText&) = default;

 private:
  explicit HtmlText(std::string v) : value_(std::move(v)) {}
  friend HtmlText EncodeHtmlText(std::string_view text);
  std::string value_;
};

// Text encoded for a single- or double-quoted HTML attribute value.
class HtmlAttribute {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const HtmlAttribute&, const HtmlAttribute&) = default;

 private:
  explicit HtmlAttribute(std::string v) : value_(std::move(v)) {}
  friend HtmlAttribute EncodeHtmlAttribute(std::string_view text);
  friend HtmlAttribute EncodeUrlAttribute(std::string_view url,
                                          const std::vector<std::string>& allowed_schemes);
  std::string value_;
};

// A percent-encoded URL query key/value or fragment: only A-Z a-z 0-9 - . _ ~
// stay literal (RFC 3986 unreserved); every other byte is %XX.
class UrlComponent {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const UrlComponent&, const UrlComponent&) = default;

 private:
  explicit UrlComponent(std::string v) : value_(std::move(v)) {}
  friend UrlComponent EncodeUrlComponent(std::string_view text);
  std::string value_;
};

// One percent-encoded URL path segment: like UrlComponent ('/' is encoded, so
// the value stays one segment), and the dot segments "." and ".." become
// "%2E" and "%2E%2E" so they cannot walk up the path. Empty stays empty.
class UrlPathSegment {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const UrlPathSegment&, const UrlPathSegment&) = default;

 private:
  explicit UrlPathSegment(std::string v) : value_(std::move(v)) {}
  friend UrlPathSegment EncodeUrlPathSegment(std::string_view text);
  std::string value_;
};

// The inside of a JavaScript string literal (the caller writes the quotes,
// ' or "). Safe in a <script> element and in JSON: \ ' " ` < > & / and all
// controls are \uXXXX-escaped, so neither the literal nor the element
// (</script>, <!--) can be closed; U+2028/U+2029 are escaped; invalid UTF-8
// becomes \uFFFD.
class JsString {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const JsString&, const JsString&) = default;

 private:
  explicit JsString(std::string v) : value_(std::move(v)) {}
  friend JsString EncodeJsString(std::string_view text);
  std::string value_;
};

// The inside of a CSS string (the caller writes the quotes). Every ASCII
// character except letters, digits and space is a CSS hex escape ("\3C "),
// so the string, the declaration and the <style> element cannot be closed;
// NUL and invalid UTF-8 become U+FFFD.
class CssString {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const CssString&, const CssString&) = default;

 private:
  explicit CssString(std::string v) : value_(std::move(v)) {}
  friend CssString EncodeCssString(std::string_view text);
  std::string value_;
};

struct LogFieldOptions {
  // Longest output in bytes, the truncation marker included. REQUIRES: >= 32.
  std::size_t max_bytes = 1024;
  // Extra ASCII delimiters of the log format to escape as \xHH (for example
  // "|=" or " "). Backslash and double quote are always escaped.
  std::string_view delimiters = "";
};

// One field of a log line, safe inside double quotes: CR, LF and TAB are
// \r \n \t; other C0 controls, DEL and invalid UTF-8 bytes are \xHH; C1
// controls, bidi controls and invisible characters are \u{XXXX}; \ and " are
// backslash-escaped. Output longer than max_bytes is cut at a character
// boundary (never inside an escape) and ends in "...[truncated]".
class LogField {
 public:
  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const LogField&, const LogField&) = default;

 private:
  explicit LogField(std::string v) : value_(std::move(v)) {}
  friend LogField EncodeLogField(std::string_view text, const LogFieldOptions& options);
  std::string value_;
};

HtmlText EncodeHtmlText(std::string_view text);
HtmlAttribute EncodeHtmlAttribute(std::string_view text);
UrlComponent EncodeUrlComponent(std::string_view text);
UrlPathSegment EncodeUrlPathSegment(std::string_view text);
JsString EncodeJsString(std::string_view text);
CssString EncodeCssString(std::string_view text);
LogField EncodeLogField(std::string_view text, const LogFieldOptions& options = {});

// The default schemes EncodeUrlAttribute allows (plus relative URLs).
inline const std::vector<std::string>& DefaultUrlSchemes() {
  static const std::vector<std::string> schemes = {"https", "http", "mailto"};
  return schemes;
}

// A whole URL for an href/src-like attribute: bytes that may not appear in a
// URL (space, quotes, < > \ ^ ` { | }, controls, non-ASCII) are
// percent-encoded; then, if the URL has a scheme that is not in
// `allowed_schemes` (lower case; javascript:, data:, vbscript: never should
// be), the result is the inert "about:invalid#blocked". Relative URLs pass.
// Finally it is HTML-attribute encoded.
HtmlAttribute EncodeUrlAttribute(std::string_view url,
                                 const std::vector<std::string>& allowed_schemes =
                                     DefaultUrlSchemes());

// The inert URL that replaces a rejected one.
inline constexpr std::string_view kBlockedUrl = "about:invalid#blocked";

// HTML that is safe to insert as markup: the output of an auto-escaping
// template, or encoded text. Raw insertion into a template takes only this
// type ({{UnsafeRawHtml name}}). There is no constructor from a string except
// the named escape hatch below.
class SanitizedHtml {
 public:
  // Encoded text is safe markup.
  explicit SanitizedHtml(HtmlText text) : value_(std::move(text).str()) {}

  // Escape hatch for markup that the program itself owns (a constant, or the
  // output of a real HTML sanitizer). Never pass request data. Grep for it.
  static SanitizedHtml UnsafeFromTrustedMarkup(std::string markup) {
    return SanitizedHtml(std::move(markup), 0);
  }

  const std::string& str() const& noexcept { return value_; }
  std::string str() && noexcept { return std::move(value_); }
  friend bool operator==(const SanitizedHtml&, const SanitizedHtml&) = default;

 private:
  SanitizedHtml(std::string markup, int) : value_(std::move(markup)) {}
  friend class Template;
  std::string value_;
};

}  // namespace bulwark::encode
