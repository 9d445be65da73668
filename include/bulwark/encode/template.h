#pragma once
// An auto-escaping HTML template engine, in the spirit of Go's html/template.
//
// Templates are loaded and checked once, at startup. The loader follows the
// HTML (and the JavaScript and CSS inside it) to find the context of every
// substitution and fixes its escaping then:
//
//   element text, <title>, <textarea>    HTML text escaping
//   quoted attribute value               HTML attribute escaping
//   href/src/action/... value, at start  URL filter (scheme allowlist; others
//                                        become about:invalid#blocked) + attr
//   ... after a static path prefix       URL path-segment encoding + attr
//   ... after ? or #                     URL component encoding + attr
//   <script>, inside '...' or "..."      JS string escaping
//   <script>, as a value                 JSON literal, JS-escaped
//   <style> or style="", in a string     CSS string escaping (+ attr)
//
// Load fails (kInvalidArgument, with the template name and line) for a
// substitution in an unsafe or ambiguous context: unquoted attribute
// values, attribute or tag names, event-handler attributes (on*), srcdoc and
// srcset, javascript:/data:/vbscript: URLs (also static ones), CSS or JS
// outside a string literal (except JS values), JS template literals, regexes
// and comments, HTML comments, and raw-text elements such as <xmp>. It also
// fails when an {{#if}} or {{#each}} body ends in another context than it
// began (Go's rule), or when a template ends inside a tag, comment or
// script/style element.
//
// Syntax:
//   {{name}} {{a.b}} {{.}}        substitution (escaped for its context)
//   {{#if name}}..{{else}}..{{/if}}   true if bool true, non-empty string or
//                                 list, non-zero int, any map/html
//   {{#each name}}..{{/each}}     repeats for each list item; inside, names
//                                 resolve in the item first, {{.}} is the item
//   {{> partial}}                 another template of the set (text context)
//   {{UnsafeRawHtml name}}        inserts a SanitizedHtml value unescaped
//                                 (text context only); any other type fails
//   {{csp_nonce}}                 RenderOptions::csp_nonce
//   {{! comment }}
//
// Thread-safety: a loaded TemplateSet is immutable; Render may be called
// concurrently. TemplateValue is a value type.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/encode/encode.h"

namespace bulwark::encode {

class TemplateValue {
 public:
  enum class Kind : std::uint8_t { kString, kInt, kBool, kHtml, kList, kMap };
  using List = std::vector<TemplateValue>;
  using Map = std::vector<std::pair<std::string, TemplateValue>>;

  TemplateValue() : kind_(Kind::kString) {}
  TemplateValue(std::string s) : kind_(Kind::kString), string_(std::move(s)) {}  // NOLINT
  TemplateValue(const char* s) : kind_(Kind::kString), string_(s) {}            // NOLINT
  TemplateValue(std::string_view s) : kind_(Kind::kString), string_(s) {}       // NOLINT
  TemplateValue(std::int64_t i) : kind_(Kind::kInt), int_(i) {}                  // NOLINT
  TemplateValue(int i) : kind_(Kind::kInt), int_(i) {}                           // NOLINT
  TemplateValue(bool b) : kind_(Kind::kBool), bool_(b) {}                        // NOLINT
  TemplateValue(SanitizedHtml html)                                              // NOLINT
      : kind_(Kind::kHtml), string_(std::move(html).str()) {}
  static TemplateValue MakeList(List items) {
    TemplateValue v;
    v.kind_ = Kind::kList;
    v.list_ = std::move(items);
    return v;
  }
  static TemplateValue MakeMap(Map members = {}) {
    TemplateValue v;
    v.kind_ = Kind::kMap;
    v.map_ = std::move(members);
    return v;
  }

  // For maps: sets (or replaces) a member. REQUIRES: kind() == kMap.
  TemplateValue& Set(std::string name, TemplateValue value);

  Kind kind() const noexcept { return kind_; }
  // The member `name` of a map, or nullptr.
  const TemplateValue* Find(std::string_view name) const noexcept;
  const List& list() const noexcept { return list_; }
  const std::string& text() const noexcept { return string_; }  // kString, kHtml
  std::int64_t integer() const noexcept { return int_; }
  bool boolean() const noexcept { return bool_; }

 private:
  Kind kind_;
  std::string string_;
  std::int64_t int_ = 0;
  bool bool_ = false;
  List list_;
  Map map_;
};

struct RenderOptions {
  // The CSP nonce of this response ({{csp_nonce}}); base64 characters only.
  std::string csp_nonce;
  // Longest output; beyond it Render fails with kResourceExhausted.
  std::size_t max_output_bytes = 8 << 20;
};

struct TemplateLimits {
  std::size_t max_source_bytes = 1 << 20;
  std::size_t max_nesting = 32;        // {{#if}}/{{#each}} nesting
  std::size_t max_include_depth = 8;   // {{> partial}} chains
};

class TemplateSet;
namespace internal {
struct TemplateSetImpl;
}  // namespace internal

// One checked template. Obtained from a TemplateSet; valid while the set
// lives (moving the set keeps it valid).
class Template {
 public:
  // Renders with `data` (a map). kInvalidArgument when a name is missing or
  // has the wrong type for its use (a list as text, a string for
  // UnsafeRawHtml, a bad nonce); the message names the template variable,
  // never a value.
  Result<SanitizedHtml> Render(const TemplateValue& data, const RenderOptions& options = {}) const;

  struct Node;  // compiled form (opaque)

 private:
  friend class TemplateSet;
  Template(const internal::TemplateSetImpl* set, const Node* root) : set_(set), root_(root) {}
  const internal::TemplateSetImpl* set_;
  const Node* root_;
};

class TemplateSet {
 public:
  // Parses and checks every template (name -> source). Names are
  // [A-Za-z0-9_./-]+. Partials are checked from the text context.
  static Result<TemplateSet> Load(const std::map<std::string, std::string>& sources,
                                  const TemplateLimits& limits = {});

  // The template `name`, or kNotFound.
  Result<Template> Get(std::string_view name) const;

  TemplateSet(TemplateSet&&) noexcept;
  TemplateSet& operator=(TemplateSet&&) noexcept;
  ~TemplateSet();

 private:
  explicit TemplateSet(std::unique_ptr<internal::TemplateSetImpl> impl);
  std::unique_ptr<internal::TemplateSetImpl> impl_;
};

}  // namespace bulwark::encode
