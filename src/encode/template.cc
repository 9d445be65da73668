#include "bulwark/encode/template.h"
#include "bulwark/core/utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <set>

#include "bulwark/core/check.h"

namespace bulwark::encode {

// ---------------------------------------------------------------------------
// Values

TemplateValue& TemplateValue::Set(std::string name, TemplateValue value) {
  BULWARK_CHECK(kind_ == Kind::kMap);
  for (auto& [key, existing] : map_) {
    if (key == name) {
      existing = std::move(value);
      return *this;
    }
  }
  map_.emplace_back(std::move(name), std::move(value));
  return *this;
}

const TemplateValue* TemplateValue::Find(std::string_view name) const noexcept {
  if (kind_ != Kind::kMap) return nullptr;
  for (const auto& [key, value] : map_) {
    if (key == name) return &value;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Context: where in the HTML document a point of the template is.

namespace {

enum class State : std::uint8_t {
  kText,
  kTagOpen,          // after '<'
  kEndTagOpen,       // after '</'
  kTagName,
  kEndTagName,       // inside an end tag, up to '>'
  kBeforeAttrName,
  kAttrName,
  kAfterAttrName,
  kBeforeAttrValue,
  kAttrValueDq,
  kAttrValueSq,
  kAttrValueUnquoted,
  kMarkupDecl,       // after '<!'
  kCommentStart,     // after '<!-'
  kComment,
  kBogusComment,     // <!DOCTYPE ...>, <?...>
};

enum class Element : std::uint8_t { kNone, kScript, kStyle, kRcdata, kRawUnsafe };
enum class AttrKind : std::uint8_t { kNormal, kUrl, kStyle, kEvent, kUnsafe };
enum class UrlPart : std::uint8_t { kStart, kPath, kQuery };
enum class Js : std::uint8_t {
  kNormal, kSlash, kDq, kSq, kTemplate, kRegex, kRegexClass, kLineComment, kBlockComment
};
enum class Css : std::uint8_t { kNormal, kDq, kSq, kComment };

struct Context {
  State state = State::kText;
  Element element = Element::kNone;
  std::string tag;           // tag being read, lower case
  std::string end_target;    // "</script" etc. while in a raw-text element
  std::size_t end_match = 0; // characters of end_target seen
  std::string attr;          // attribute being read, lower case
  AttrKind attr_kind = AttrKind::kNormal;
  bool attr_dynamic = false; // a substitution happened in this value
  UrlPart url_part = UrlPart::kStart;
  std::string url_prefix;    // static URL text so far (up to 64 bytes)
  Js js = Js::kNormal;
  bool js_escape = false;
  std::uint8_t js_slash = 1; // a '/' here is: 0 division, 1 a regex, 2 unknown
  std::string js_word;       // the identifier just read (for regex keywords)
  std::string js_recent;     // last three characters (to refuse "<!--")
  Css css = Css::kNormal;
  bool css_escape = false;
  int comment_dashes = 0;

  friend bool operator==(const Context&, const Context&) = default;
};

enum class Escape : std::uint8_t {
  kText, kAttr, kUrlStart, kUrlPath, kUrlQuery, kJsString, kJsValue, kCssString, kCssStringInAttr
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentChar(char c) {
  return IsAlpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

AttrKind ClassifyAttr(std::string_view name) {
  static constexpr std::array<std::string_view, 17> kUrlAttrs = {
      "href", "src", "action", "formaction", "cite", "poster", "background", "longdesc",
      "usemap", "codebase", "data", "manifest", "icon", "profile", "xlink:href", "ping",
      "lowsrc"};
  static constexpr std::array<std::string_view, 4> kUnsafeAttrs = {"srcdoc", "srcset",
                                                                   "imagesrcset", "http-equiv"};
  if (name.size() > 2 && name.substr(0, 2) == "on") return AttrKind::kEvent;
  if (name == "style") return AttrKind::kStyle;
  if (std::find(kUrlAttrs.begin(), kUrlAttrs.end(), name) != kUrlAttrs.end()) return AttrKind::kUrl;
  if (std::find(kUnsafeAttrs.begin(), kUnsafeAttrs.end(), name) != kUnsafeAttrs.end()) {
    return AttrKind::kUnsafe;
  }
  return AttrKind::kNormal;
}

Element ClassifyElement(std::string_view tag) {
  if (tag == "script") return Element::kScript;
  if (tag == "style") return Element::kStyle;
  if (tag == "title" || tag == "textarea") return Element::kRcdata;
  if (tag == "xmp" || tag == "iframe" || tag == "noembed" || tag == "noframes" ||
      tag == "plaintext" || tag == "noscript") {
    return Element::kRawUnsafe;
  }
  return Element::kNone;
}

// True if a static URL value (or prefix) names a scheme outside the allowlist.
// Browsers drop leading spaces/controls and tabs/newlines inside the scheme.
bool HasForbiddenScheme(std::string_view url) {
  std::string cleaned;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20) continue;
    cleaned.push_back(Lower(c));
  }
  const std::size_t colon = cleaned.find(':');
  if (colon == std::string::npos) return false;
  // A character reference before the colon could spell a scheme
  // (java&#115;cript:), and its '#' would hide it: refuse it unless a path
  // or query has clearly begun.
  const std::size_t amp = cleaned.find('&');
  const std::size_t path_or_query = cleaned.find_first_of("/?");
  if (amp < colon && amp < path_or_query) return true;
  const std::size_t delim = cleaned.find_first_of("/?#");
  if (delim != std::string::npos && delim < colon) return false;
  std::string_view scheme(cleaned.data(), colon);
  return !(scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel");
}

class Tracker {
 public:
  explicit Tracker(Context* ctx) : c_(*ctx) {}

  // Advances over static template text. Returns "" or why the text is refused.
  std::string Advance(std::string_view text) {
    for (char ch : text) {
      std::string error = Step(ch);
      if (!error.empty()) return error;
    }
    return "";
  }

 private:
  void EnterText() {
    c_.state = State::kText;
    c_.tag.clear();
    c_.attr.clear();
  }

  void EndStartTag() {
    const Element e = ClassifyElement(c_.tag);
    c_.element = e;
    c_.end_target.clear();
    c_.end_match = 0;
    if (e != Element::kNone) c_.end_target = "</" + c_.tag;
    c_.js = Js::kNormal;
    c_.js_escape = false;
    c_.js_slash = 1;
    c_.js_word.clear();
    c_.js_recent.clear();
    c_.css = Css::kNormal;
    c_.css_escape = false;
    EnterText();
  }

  void BeginAttrName(char ch) {
    c_.attr.assign(1, Lower(ch));
    c_.state = State::kAttrName;
  }

  void BeginAttrValue(State state) {
    c_.attr_kind = ClassifyAttr(c_.attr);
    c_.attr_dynamic = false;
    c_.url_part = UrlPart::kStart;
    c_.url_prefix.clear();
    c_.css = Css::kNormal;
    c_.css_escape = false;
    c_.state = state;
  }

  std::string EndAttrValue() {
    if (c_.attr_kind == AttrKind::kUrl && !c_.attr_dynamic && HasForbiddenScheme(c_.url_prefix)) {
      return "a URL attribute uses a scheme other than http, https, mailto or tel";
    }
    c_.attr.clear();
    c_.url_prefix.clear();
    c_.attr_kind = AttrKind::kNormal;
    c_.attr_dynamic = false;
    c_.url_part = UrlPart::kStart;
    c_.css = Css::kNormal;
    c_.css_escape = false;
    c_.state = State::kBeforeAttrName;
    return "";
  }

  std::string StepAttrValueChar(char ch) {
    switch (c_.attr_kind) {
      case AttrKind::kUrl:
        if (c_.url_prefix.size() < 64) c_.url_prefix.push_back(ch);
        if (ch == '?' || ch == '#') {
          c_.url_part = UrlPart::kQuery;
        } else if (c_.url_part == UrlPart::kStart) {
          c_.url_part = UrlPart::kPath;
        }
        if (!c_.attr_dynamic && HasForbiddenScheme(c_.url_prefix)) {
          return "a URL attribute uses a scheme other than http, https, mailto or tel";
        }
        return "";
      case AttrKind::kStyle: return StepCss(ch);
      default: return "";
    }
  }

  std::string StepRawText(char ch) {
    // Looks for the end tag of a raw-text element, e.g. "</script" followed by
    // a space, '/' or '>'.
    if (c_.end_match == c_.end_target.size()) {
      if (IsSpace(ch) || ch == '/' || ch == '>') {
        c_.element = Element::kNone;
        c_.end_target.clear();
        c_.end_match = 0;
        if (ch == '>') {
          EnterText();
        } else {
          c_.state = State::kEndTagName;
        }
        return "";
      }
      c_.end_match = 0;
    }
    if (Lower(ch) == c_.end_target[c_.end_match]) {
      ++c_.end_match;
    } else {
      c_.end_match = ch == '<' ? 1 : 0;
    }
    switch (c_.element) {
      case Element::kScript: return StepJs(ch);
      case Element::kStyle: return StepCss(ch);
      default: return "";
    }
  }

  std::string StepJs(char ch) {
    if (c_.js_recent.size() == 3) c_.js_recent.erase(0, 1);
    c_.js_recent.push_back(ch);
    switch (c_.js) {
      case Js::kDq:
      case Js::kSq:
        if (c_.js_escape) {
          c_.js_escape = false;
        } else if (ch == '\\') {
          c_.js_escape = true;
        } else if ((ch == '"' && c_.js == Js::kDq) || (ch == '\'' && c_.js == Js::kSq)) {
          c_.js = Js::kNormal;
          c_.js_slash = 0;
        }
        return "";
      case Js::kTemplate:
        if (c_.js_escape) {
          c_.js_escape = false;
        } else if (ch == '\\') {
          c_.js_escape = true;
        } else if (ch == '`') {
          c_.js = Js::kNormal;
          c_.js_slash = 0;
        } else if (ch == '{' && c_.js_recent.size() >= 2 &&
                   c_.js_recent[c_.js_recent.size() - 2] == '$') {
          return "JavaScript template literal interpolation (${...}) is not supported";
        }
        return "";
      case Js::kRegex:
        if (c_.js_escape) {
          c_.js_escape = false;
        } else if (ch == '\\') {
          c_.js_escape = true;
        } else if (ch == '[') {
          c_.js = Js::kRegexClass;
        } else if (ch == '/') {
          c_.js = Js::kNormal;
          c_.js_slash = 0;
        }
        return "";
      case Js::kRegexClass:
        if (c_.js_escape) {
          c_.js_escape = false;
        } else if (ch == '\\') {
          c_.js_escape = true;
        } else if (ch == ']') {
          c_.js = Js::kRegex;
        }
        return "";
      case Js::kLineComment:
        if (ch == '\n' || ch == '\r') {
          c_.js = Js::kNormal;
          c_.js_recent.clear();
        }
        return "";
      case Js::kBlockComment:
        if (ch == '/' && c_.js_recent.size() >= 2 &&
            c_.js_recent[c_.js_recent.size() - 2] == '*') {
          c_.js = Js::kNormal;
          c_.js_recent.clear();
        }
        return "";
      case Js::kSlash:
        // The previous character was a '/' in code: a comment, a regex or a
        // division, decided now.
        if (ch == '/') {
          c_.js = Js::kLineComment;
          return "";
        }
        if (ch == '*') {
          c_.js = Js::kBlockComment;
          c_.js_recent.clear();
          return "";
        }
        if (c_.js_slash == 2) {
          return "a '/' after '}' in <script> is ambiguous (regex or division); add parentheses";
        }
        if (c_.js_slash == 1) {
          c_.js = Js::kRegex;
          c_.js_recent.pop_back();
          return StepJs(ch);
        }
        c_.js = Js::kNormal;
        c_.js_slash = 1;  // after a division operator an operand follows
        c_.js_recent.pop_back();
        return StepJs(ch);
      case Js::kNormal: break;
    }
    if (c_.js_recent == "<!-") return "an HTML comment opener inside <script> is not supported";
    if (IsIdentChar(ch)) {
      if (c_.js_word.size() < 16) c_.js_word.push_back(ch);
      c_.js_slash = 0;
      return "";
    }
    // A word just ended: after these keywords an expression (maybe a regex) follows.
    static constexpr std::array<std::string_view, 13> kRegexKeywords = {
        "return", "typeof", "case", "do", "else", "in", "instanceof", "new", "delete",
        "void", "throw", "yield", "await"};
    if (!c_.js_word.empty()) {
      const bool keyword = std::find(kRegexKeywords.begin(), kRegexKeywords.end(),
                                     c_.js_word) != kRegexKeywords.end();
      c_.js_word.clear();
      c_.js_slash = keyword ? 1 : 0;
    }
    if (IsSpace(ch)) return "";
    switch (ch) {
      case '"': c_.js = Js::kDq; return "";
      case '\'': c_.js = Js::kSq; return "";
      case '`': c_.js = Js::kTemplate; return "";
      case '/': c_.js = Js::kSlash; return "";
      case ')': case ']': c_.js_slash = 0; return "";
      case '}': c_.js_slash = 2; return "";  // end of a block or of an object literal
      default: c_.js_slash = 1; return "";   // an operator or punctuation
    }
  }

  std::string StepCss(char ch) {
    switch (c_.css) {
      case Css::kDq:
      case Css::kSq:
        if (c_.css_escape) {
          c_.css_escape = false;
        } else if (ch == '\\') {
          c_.css_escape = true;
        } else if ((ch == '"' && c_.css == Css::kDq) || (ch == '\'' && c_.css == Css::kSq)) {
          c_.css = Css::kNormal;
        } else if (ch == '\n' || ch == '\r' || ch == '\f') {
          c_.css = Css::kNormal;  // an unterminated string ends at the line
        }
        return "";
      case Css::kComment:
        if (ch == '/' && c_.css_escape) {
          c_.css = Css::kNormal;
        }
        c_.css_escape = ch == '*';  // reused: "previous was '*'"
        return "";
      case Css::kNormal:
        if (c_.css_escape) {  // reused: "previous was '/'"
          c_.css_escape = false;
          if (ch == '*') {
            c_.css = Css::kComment;
            return "";
          }
        }
        if (ch == '"') c_.css = Css::kDq;
        if (ch == '\'') c_.css = Css::kSq;
        if (ch == '/') c_.css_escape = true;
        return "";
    }
    return "";
  }

  std::string Step(char ch) {
    switch (c_.state) {
      case State::kText:
        if (c_.element != Element::kNone) return StepRawText(ch);
        if (ch == '<') c_.state = State::kTagOpen;
        return "";
      case State::kTagOpen:
        if (IsAlpha(ch)) {
          c_.tag.assign(1, Lower(ch));
          c_.state = State::kTagName;
        } else if (ch == '/') {
          c_.state = State::kEndTagOpen;
        } else if (ch == '!') {
          c_.state = State::kMarkupDecl;
        } else if (ch == '?') {
          c_.state = State::kBogusComment;
        } else {
          EnterText();
          return Step(ch);
        }
        return "";
      case State::kEndTagOpen:
        if (IsAlpha(ch)) {
          c_.state = State::kEndTagName;
        } else if (ch == '>') {
          EnterText();
        } else {
          c_.state = State::kBogusComment;
        }
        return "";
      case State::kEndTagName:
        if (ch == '>') EnterText();
        return "";
      case State::kTagName:
        if (IsSpace(ch) || ch == '/') {
          c_.state = State::kBeforeAttrName;
        } else if (ch == '>') {
          EndStartTag();
        } else {
          if (c_.tag.size() < 32) c_.tag.push_back(Lower(ch));
        }
        return "";
      case State::kBeforeAttrName:
        if (IsSpace(ch) || ch == '/') return "";
        if (ch == '>') {
          EndStartTag();
        } else if (ch == '"' || ch == '\'' || ch == '<' || ch == '=') {
          return "a malformed attribute name";
        } else {
          BeginAttrName(ch);
        }
        return "";
      case State::kAttrName:
        if (IsSpace(ch)) {
          c_.state = State::kAfterAttrName;
        } else if (ch == '/') {
          c_.state = State::kBeforeAttrName;
        } else if (ch == '=') {
          c_.state = State::kBeforeAttrValue;
        } else if (ch == '>') {
          EndStartTag();
        } else if (ch == '"' || ch == '\'' || ch == '<') {
          return "a malformed attribute name";
        } else {
          if (c_.attr.size() < 64) c_.attr.push_back(Lower(ch));
        }
        return "";
      case State::kAfterAttrName:
        if (IsSpace(ch)) return "";
        if (ch == '=') {
          c_.state = State::kBeforeAttrValue;
        } else if (ch == '>') {
          EndStartTag();
        } else if (ch == '/') {
          c_.state = State::kBeforeAttrName;
        } else {
          BeginAttrName(ch);
        }
        return "";
      case State::kBeforeAttrValue:
        if (IsSpace(ch)) return "";
        if (ch == '"') {
          BeginAttrValue(State::kAttrValueDq);
        } else if (ch == '\'') {
          BeginAttrValue(State::kAttrValueSq);
        } else if (ch == '>') {
          EndStartTag();
        } else {
          BeginAttrValue(State::kAttrValueUnquoted);
          return StepAttrValueChar(ch);
        }
        return "";
      case State::kAttrValueDq:
      case State::kAttrValueSq: {
        const char quote = c_.state == State::kAttrValueDq ? '"' : '\'';
        if (ch == quote) return EndAttrValue();
        return StepAttrValueChar(ch);
      }
      case State::kAttrValueUnquoted:
        if (IsSpace(ch)) return EndAttrValue();
        if (ch == '>') {
          std::string error = EndAttrValue();
          if (!error.empty()) return error;
          EndStartTag();
          return "";
        }
        return StepAttrValueChar(ch);
      case State::kMarkupDecl:
        c_.state = ch == '-' ? State::kCommentStart : State::kBogusComment;
        if (ch == '>') EnterText();
        return "";
      case State::kCommentStart:
        if (ch == '-') {
          c_.state = State::kComment;
          c_.comment_dashes = 0;
        } else {
          c_.state = State::kBogusComment;
          if (ch == '>') EnterText();
        }
        return "";
      case State::kComment:
        if (ch == '>' && c_.comment_dashes >= 2) {
          c_.comment_dashes = 0;
          EnterText();
        } else if (ch == '-') {
          ++c_.comment_dashes;
        } else {
          c_.comment_dashes = 0;
        }
        return "";
      case State::kBogusComment:
        if (ch == '>') EnterText();
        return "";
    }
    return "";
  }

  Context& c_;
};

// Decides how a substitution at `c` is escaped, or why it is refused.
std::string EscapeFor(const Context& c, Escape* escape) {
  switch (c.state) {
    case State::kText:
      switch (c.element) {
        case Element::kNone:
        case Element::kRcdata: *escape = Escape::kText; return "";
        case Element::kRawUnsafe:
          return "a substitution inside <xmp>, <iframe>, <noscript>, <noembed>, <noframes> or "
                 "<plaintext> is not allowed";
        case Element::kScript:
          if (c.end_match > 0) return "a substitution inside a partial end tag";
          switch (c.js) {
            case Js::kNormal: *escape = Escape::kJsValue; return "";
            case Js::kDq:
            case Js::kSq:
              if (c.js_escape) return "a substitution right after a backslash in a JS string";
              *escape = Escape::kJsString;
              return "";
            case Js::kTemplate: return "a substitution inside a JS template literal is not allowed";
            case Js::kRegex:
            case Js::kRegexClass: return "a substitution inside a JS regular expression is not allowed";
            case Js::kSlash: return "a substitution right after '/' in script is ambiguous";
            case Js::kLineComment:
            case Js::kBlockComment: return "a substitution inside a JS comment is not allowed";
          }
          break;
        case Element::kStyle:
          if (c.end_match > 0) return "a substitution inside a partial end tag";
          if ((c.css == Css::kDq || c.css == Css::kSq) && !c.css_escape) {
            *escape = Escape::kCssString;
            return "";
          }
          return "a substitution in CSS is only allowed inside a quoted CSS string";
      }
      break;
    case State::kAttrValueDq:
    case State::kAttrValueSq:
      switch (c.attr_kind) {
        case AttrKind::kNormal: *escape = Escape::kAttr; return "";
        case AttrKind::kEvent: return "a substitution in an event-handler attribute (on*) is not allowed";
        case AttrKind::kUnsafe:
          return "a substitution in srcdoc, srcset, imagesrcset or http-equiv is not allowed";
        case AttrKind::kStyle:
          if ((c.css == Css::kDq || c.css == Css::kSq) && !c.css_escape) {
            *escape = Escape::kCssStringInAttr;
            return "";
          }
          return "a substitution in a style attribute is only allowed inside a quoted CSS string";
        case AttrKind::kUrl:
          if (HasForbiddenScheme(c.url_prefix)) {
            return "a substitution in a URL with a scheme other than http, https, mailto or tel";
          }
          *escape = c.url_part == UrlPart::kStart  ? Escape::kUrlStart
                    : c.url_part == UrlPart::kPath ? Escape::kUrlPath
                                                   : Escape::kUrlQuery;
          return "";
      }
      break;
    case State::kBeforeAttrValue:
    case State::kAttrValueUnquoted: return "a substitution in an unquoted attribute value";
    case State::kComment:
    case State::kCommentStart:
    case State::kMarkupDecl:
    case State::kBogusComment: return "a substitution inside an HTML comment or declaration";
    default: break;
  }
  return "a substitution inside a tag (tag and attribute names cannot be dynamic)";
}

void AfterSubstitution(Context* c, Escape escape) {
  switch (escape) {
    case Escape::kUrlStart:
    case Escape::kUrlPath:
    case Escape::kUrlQuery:
      c->attr_dynamic = true;
      if (c->url_part == UrlPart::kStart) c->url_part = UrlPart::kPath;
      break;
    case Escape::kJsValue:
      c->js_slash = 0;
      c->js_word.clear();
      c->js_recent.clear();
      break;
    default: break;  // attr_dynamic matters only for URL attributes
  }
}

std::string_view StateDescription(const Context& c) {
  if (c.state == State::kText) {
    switch (c.element) {
      case Element::kNone: return "text";
      case Element::kScript: return "a <script> element";
      case Element::kStyle: return "a <style> element";
      default: return "a raw-text element";
    }
  }
  if (c.state == State::kComment || c.state == State::kBogusComment) return "an HTML comment";
  if (c.state == State::kAttrValueDq || c.state == State::kAttrValueSq ||
      c.state == State::kAttrValueUnquoted) {
    return "an attribute value";
  }
  return "a tag";
}

bool IsPlainText(const Context& c) { return c.state == State::kText && c.element == Element::kNone; }

}  // namespace

// ---------------------------------------------------------------------------
// Parsed form

struct Template::Node {
  enum class Kind : std::uint8_t { kSequence, kText, kSubst, kIf, kEach, kInclude, kRaw };
  Kind kind = Kind::kSequence;
  std::string text;               // kText: literal; kInclude: template name
  std::vector<std::string> path;  // kSubst, kIf, kEach, kRaw; empty means "."
  std::string path_text;          // for error messages (template-owned)
  Escape escape = Escape::kText;
  std::vector<Node> children;     // kSequence / kIf (then) / kEach
  std::vector<Node> otherwise;    // kIf (else)
};

namespace internal {
struct TemplateSetImpl {
  std::map<std::string, std::unique_ptr<Template::Node>, std::less<>> templates;
};
}  // namespace internal

namespace {

using Node = Template::Node;

Error LoadError(std::string_view name, std::size_t line, std::string_view what) {
  return Error(ErrorCode::kInvalidArgument, "template " + std::string(name) + ":" +
                                                std::to_string(line) + ": " + std::string(what));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ParsePath(std::string_view text, std::vector<std::string>* path) {
  path->clear();
  if (text == ".") return true;
  if (text.empty() || text.size() > 128) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    std::string_view seg =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (seg.empty() || !(IsAlpha(seg[0]) || seg[0] == '_')) return false;
    for (char c : seg) {
      if (!(IsAlpha(c) || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    path->emplace_back(seg);
    if (path->size() > 8) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool ValidTemplateName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return IsAlpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-';
  });
}

class Parser {
 public:
  Parser(std::string_view name, std::string_view source, const TemplateLimits& limits)
      : name_(name), source_(source), limits_(limits) {}

  Result<std::unique_ptr<Node>> Parse(std::vector<std::string>* includes) {
    if (source_.size() > limits_.max_source_bytes) {
      return LoadError(name_, 0, "source is larger than the limit");
    }
    if (!IsValidUtf8(source_)) return LoadError(name_, 0, "source is not valid UTF-8");
    auto root = std::make_unique<Node>();
    root->text = std::string(name_);
    struct Frame {
      Node* node;
      Context start;
      bool in_else = false;
      Context then_end;
      std::size_t line;
    };
    std::vector<Frame> stack;
    Context ctx;
    auto current = [&]() -> std::vector<Node>& {
      if (stack.empty()) return root->children;
      Frame& f = stack.back();
      return f.in_else ? f.node->otherwise : f.node->children;
    };
    std::size_t pos = 0;
    while (pos < source_.size()) {
      std::size_t open = source_.find("{{", pos);
      std::string_view text = source_.substr(pos, open == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : open - pos);
      if (!text.empty()) {
        std::string error = Tracker(&ctx).Advance(text);
        if (!error.empty()) return LoadError(name_, LineAt(pos + text.size()), error);
        Node n;
        n.kind = Node::Kind::kText;
        n.text = std::string(text);
        current().push_back(std::move(n));
      }
      if (open == std::string_view::npos) break;
      const std::size_t line = LineAt(open);
      std::size_t close = source_.find("}}", open + 2);
      if (close == std::string_view::npos) return LoadError(name_, line, "unclosed {{");
      std::string_view action = Trim(source_.substr(open + 2, close - open - 2));
      pos = close + 2;
      if (action.empty()) return LoadError(name_, line, "empty {{}}");
      if (action[0] == '!') continue;  // comment

      if (action.substr(0, 4) == "#if " || action.substr(0, 6) == "#each ") {
        const bool is_if = action[1] == 'i';
        if (stack.size() >= limits_.max_nesting) return LoadError(name_, line, "nested too deeply");
        Node n;
        n.kind = is_if ? Node::Kind::kIf : Node::Kind::kEach;
        n.path_text = std::string(Trim(action.substr(is_if ? 4 : 6)));
        if (!ParsePath(n.path_text, &n.path)) return LoadError(name_, line, "invalid name");
        current().push_back(std::move(n));
        stack.push_back(Frame{&current().back(), ctx, false, Context{}, line});
        continue;
      }
      if (action == "else") {
        if (stack.empty() || stack.back().node->kind != Node::Kind::kIf || stack.back().in_else) {
          return LoadError(name_, line, "{{else}} without {{#if}}");
        }
        stack.back().in_else = true;
        stack.back().then_end = ctx;
        ctx = stack.back().start;
        continue;
      }
      if (action == "/if" || action == "/each") {
        const Node::Kind want = action == "/if" ? Node::Kind::kIf : Node::Kind::kEach;
        if (stack.empty() || stack.back().node->kind != want) {
          return LoadError(name_, line, "unmatched {{" + std::string(action) + "}}");
        }
        const Frame& f = stack.back();
        const Context& expected = f.in_else ? f.then_end : f.start;
        if (!(ctx == expected)) {
          return LoadError(name_, line,
                           "the branches of this block end in different HTML contexts (" +
                               std::string(StateDescription(expected)) + " vs " +
                               std::string(StateDescription(ctx)) + ")");
        }
        stack.pop_back();
        continue;
      }
      if (action[0] == '>') {
        std::string_view partial = Trim(action.substr(1));
        if (!ValidTemplateName(partial)) return LoadError(name_, line, "invalid partial name");
        if (!IsPlainText(ctx)) {
          return LoadError(name_, line, "{{> partial}} is only allowed in HTML text");
        }
        Node n;
        n.kind = Node::Kind::kInclude;
        n.text = std::string(partial);
        includes->push_back(n.text);
        current().push_back(std::move(n));
        continue;
      }
      if (action.substr(0, 14) == "UnsafeRawHtml ") {
        Node n;
        n.kind = Node::Kind::kRaw;
        n.path_text = std::string(Trim(action.substr(14)));
        if (!ParsePath(n.path_text, &n.path)) return LoadError(name_, line, "invalid name");
        if (!IsPlainText(ctx)) {
          return LoadError(name_, line, "{{UnsafeRawHtml}} is only allowed in HTML text");
        }
        current().push_back(std::move(n));
        continue;
      }
      if (action[0] == '#' || action[0] == '/') {
        return LoadError(name_, line, "unknown block {{" + std::string(action.substr(0, 16)) + "}}");
      }
      Node n;
      n.kind = Node::Kind::kSubst;
      n.path_text = std::string(action);
      if (!ParsePath(action, &n.path)) return LoadError(name_, line, "invalid name in {{...}}");
      std::string error = EscapeFor(ctx, &n.escape);
      if (!error.empty()) return LoadError(name_, line, error);
      AfterSubstitution(&ctx, n.escape);
      current().push_back(std::move(n));
    }
    if (!stack.empty()) return LoadError(name_, stack.back().line, "block is not closed");
    if (!IsPlainText(ctx)) {
      return LoadError(name_, LineAt(source_.size()),
                       "template ends inside " + std::string(StateDescription(ctx)));
    }
    return root;
  }

 private:
  std::size_t LineAt(std::size_t pos) const {
    return 1 + static_cast<std::size_t>(
                   std::count(source_.begin(), source_.begin() + static_cast<std::ptrdiff_t>(
                                                                     std::min(pos, source_.size())),
                              '\n'));
  }

  std::string_view name_;
  std::string_view source_;
  const TemplateLimits& limits_;
};

// --- rendering ---

class Renderer {
 public:
  Renderer(const internal::TemplateSetImpl& set, const RenderOptions& options, std::string* out)
      : set_(set), options_(options), out_(*out) {}

  Result<void> Run(const std::vector<Node>& nodes, std::string_view name) {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Node::Kind::kSequence: BULWARK_RETURN_IF_ERROR(Run(n.children, name)); break;
        case Node::Kind::kText: BULWARK_RETURN_IF_ERROR(Append(n.text)); break;
        case Node::Kind::kSubst: BULWARK_RETURN_IF_ERROR(Substitute(n, name)); break;
        case Node::Kind::kRaw: {
          const TemplateValue* v = Lookup(n.path);
          if (v == nullptr) return Missing(name, n);
          if (v->kind() != TemplateValue::Kind::kHtml) {
            return RenderError(name, n, "needs a SanitizedHtml value");
          }
          BULWARK_RETURN_IF_ERROR(Append(v->text()));
          break;
        }
        case Node::Kind::kIf: {
          const TemplateValue* v = Lookup(n.path);
          BULWARK_RETURN_IF_ERROR(Run(v != nullptr && Truthy(*v) ? n.children : n.otherwise, name));
          break;
        }
        case Node::Kind::kEach: {
          const TemplateValue* v = Lookup(n.path);
          if (v == nullptr) return Missing(name, n);
          if (v->kind() != TemplateValue::Kind::kList) return RenderError(name, n, "needs a list");
          for (const TemplateValue& item : v->list()) {
            scopes_.push_back(&item);
            Result<void> r = Run(n.children, name);
            scopes_.pop_back();
            BULWARK_RETURN_IF_ERROR(r);
          }
          break;
        }
        case Node::Kind::kInclude: {
          auto it = set_.templates.find(n.text);
          BULWARK_CHECK(it != set_.templates.end());  // checked at load
          BULWARK_RETURN_IF_ERROR(Run(it->second->children, n.text));
          break;
        }
      }
    }
    return Ok();
  }

  void PushScope(const TemplateValue* v) { scopes_.push_back(v); }

 private:
  static bool Truthy(const TemplateValue& v) {
    switch (v.kind()) {
      case TemplateValue::Kind::kString: return !v.text().empty();
      case TemplateValue::Kind::kInt: return v.integer() != 0;
      case TemplateValue::Kind::kBool: return v.boolean();
      case TemplateValue::Kind::kList: return !v.list().empty();
      case TemplateValue::Kind::kHtml:
      case TemplateValue::Kind::kMap: return true;
    }
    return false;
  }

  const TemplateValue* Lookup(const std::vector<std::string>& path) {
    if (path.empty()) return scopes_.empty() ? nullptr : scopes_.back();
    if (path.size() == 1 && path[0] == "csp_nonce") return &nonce_value_;
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      const TemplateValue* v = (*it)->Find(path[0]);
      if (v == nullptr) continue;
      for (std::size_t i = 1; i < path.size() && v != nullptr; ++i) v = v->Find(path[i]);
      return v;
    }
    return nullptr;
  }

  Error RenderError(std::string_view name, const Node& n, std::string_view what) {
    return Error(ErrorCode::kInvalidArgument, "template " + std::string(name) + ": {{" +
                                                  n.path_text + "}} " + std::string(what));
  }
  Error Missing(std::string_view name, const Node& n) { return RenderError(name, n, "has no value"); }

  Result<void> Append(std::string_view s) {
    if (out_.size() + s.size() > options_.max_output_bytes) {
      return Error(ErrorCode::kResourceExhausted, "template output exceeds max_output_bytes");
    }
    out_ += s;
    return Ok();
  }

  Result<void> Substitute(const Node& n, std::string_view name) {
    const TemplateValue* v = Lookup(n.path);
    if (v == nullptr) return Missing(name, n);
    std::string scalar;
    switch (v->kind()) {
      case TemplateValue::Kind::kString:
      case TemplateValue::Kind::kHtml: scalar = v->text(); break;
      case TemplateValue::Kind::kInt: scalar = std::to_string(v->integer()); break;
      case TemplateValue::Kind::kBool: scalar = v->boolean() ? "true" : "false"; break;
      case TemplateValue::Kind::kList:
      case TemplateValue::Kind::kMap: return RenderError(name, n, "is a list or map, not a value");
    }
    if (n.path.size() == 1 && n.path[0] == "csp_nonce") {
      const bool ok = !scalar.empty() && scalar.size() <= 128 &&
                      std::all_of(scalar.begin(), scalar.end(), [](char c) {
                        return IsAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                               c == '=' || c == '-' || c == '_';
                      });
      if (!ok) return RenderError(name, n, "needs RenderOptions::csp_nonce (base64)");
    }
    switch (n.escape) {
      case Escape::kText: return Append(EncodeHtmlText(scalar).str());
      case Escape::kAttr: return Append(EncodeHtmlAttribute(scalar).str());
      case Escape::kUrlStart: return Append(EncodeUrlAttribute(scalar).str());
      case Escape::kUrlPath:
        return Append(EncodeHtmlAttribute(EncodeUrlPathSegment(scalar).str()).str());
      case Escape::kUrlQuery:
        return Append(EncodeHtmlAttribute(EncodeUrlComponent(scalar).str()).str());
      case Escape::kJsString: return Append(EncodeJsString(scalar).str());
      case Escape::kJsValue:
        if (v->kind() == TemplateValue::Kind::kInt || v->kind() == TemplateValue::Kind::kBool) {
          return Append(" " + scalar + " ");
        }
        return Append(" \"" + EncodeJsString(scalar).str() + "\" ");
      case Escape::kCssString: return Append(EncodeCssString(scalar).str());
      case Escape::kCssStringInAttr:
        return Append(EncodeHtmlAttribute(EncodeCssString(scalar).str()).str());
    }
    return Ok();
  }

 public:
  void SetNonce(const std::string& nonce) { nonce_value_ = TemplateValue(nonce); }

 private:
  const internal::TemplateSetImpl& set_;
  const RenderOptions& options_;
  std::string& out_;
  std::vector<const TemplateValue*> scopes_;
  TemplateValue nonce_value_;
};

}  // namespace

Result<SanitizedHtml> Template::Render(const TemplateValue& data, const RenderOptions& options) const {
  if (data.kind() != TemplateValue::Kind::kMap) {
    return Error(ErrorCode::kInvalidArgument, "template data must be a map");
  }
  std::string out;
  Renderer renderer(*set_, options, &out);
  renderer.SetNonce(options.csp_nonce);
  renderer.PushScope(&data);
  BULWARK_RETURN_IF_ERROR(renderer.Run(root_->children, root_->text));
  return SanitizedHtml(std::move(out), 0);
}

TemplateSet::TemplateSet(std::unique_ptr<internal::TemplateSetImpl> impl) : impl_(std::move(impl)) {}
TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;
TemplateSet::~TemplateSet() = default;

Result<TemplateSet> TemplateSet::Load(const std::map<std::string, std::string>& sources,
                                      const TemplateLimits& limits) {
  auto impl = std::make_unique<internal::TemplateSetImpl>();
  std::map<std::string, std::vector<std::string>> includes;
  for (const auto& [name, source] : sources) {
    if (!ValidTemplateName(name)) {
      return Error(ErrorCode::kInvalidArgument, "template name has invalid characters");
    }
    Parser parser(name, source, limits);
    std::vector<std::string>& deps = includes[name];
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Node> root, parser.Parse(&deps));
    impl->templates.emplace(name, std::move(root));
  }
  // Every partial exists, and include chains are acyclic and bounded.
  std::function<Result<void>(const std::string&, std::size_t, std::set<std::string>&)> visit =
      [&](const std::string& name, std::size_t depth, std::set<std::string>& path) -> Result<void> {
    if (depth > limits.max_include_depth) {
      return Error(ErrorCode::kInvalidArgument, "template " + name + ": includes nest too deeply");
    }
    for (const std::string& dep : includes[name]) {
      if (impl->templates.find(dep) == impl->templates.end()) {
        return Error(ErrorCode::kInvalidArgument, "template " + name + ": unknown partial " + dep);
      }
      if (!path.insert(dep).second) {
        return Error(ErrorCode::kInvalidArgument, "template " + name + ": include cycle via " + dep);
      }
      BULWARK_RETURN_IF_ERROR(visit(dep, depth + 1, path));
      path.erase(dep);
    }
    return Ok();
  };
  for (const auto& entry : sources) {
    std::set<std::string> path = {entry.first};
    BULWARK_RETURN_IF_ERROR(visit(entry.first, 0, path));
  }
  return TemplateSet(std::move(impl));
}

Result<Template> TemplateSet::Get(std::string_view name) const {
  auto it = impl_->templates.find(name);
  if (it == impl_->templates.end()) return Error(ErrorCode::kNotFound, "no such template");
  return Template(impl_.get(), it->second.get());
}

}  // namespace bulwark::encode
