#pragma once
// xml::Parse: XML parsing that is safe for untrusted documents (libxml2).
//
// What it stops:
//   XXE (external entities reading files or fetching URLs), external DTDs,
//   parameter entities, billion laughs / quadratic blowup (entity expansion):
//     any document with a DOCTYPE is refused as soon as the parser reaches
//     the "<!DOCTYPE", before its internal subset is read. Independently,
//     entity declarations and entity lookups are refused, the network is off
//     (XML_PARSE_NONET), entity substitution (XML_PARSE_NOENT), DTD loading,
//     DTD attribute defaults, validation and XInclude are never enabled.
//   Resource exhaustion: input size, nesting depth, element count,
//     attributes per element, name length and total text are bounded
//     (ParseLimits); a limit hit is kResourceExhausted.
// Only the five predefined entities (&lt; &gt; &amp; &quot; &apos;) and
// character references are expanded. Comments and processing instructions
// are dropped. Namespaces are resolved.
//
// The result is a plain tree that owns its strings (no libxml2 types leak).
//
// Thread-safety: Parse may be called concurrently.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::xml {

struct Attribute {
  std::string name;           // local name
  std::string prefix;         // as written, may be empty
  std::string namespace_uri;  // empty when not namespaced
  std::string value;
};

struct Element {
  std::string name;           // local name
  std::string prefix;
  std::string namespace_uri;
  std::vector<Attribute> attributes;
  std::vector<Element> children;  // child elements, in document order
  std::string text;               // the element's own character data (and
                                  // CDATA), concatenated; not its children's

  // The first child element with this local name (and namespace, if given).
  const Element* FindChild(std::string_view local_name,
                           std::optional<std::string_view> namespace_uri = std::nullopt) const;
  // The value of the attribute with this local name (and namespace, if given).
  std::optional<std::string_view> FindAttribute(
      std::string_view local_name,
      std::optional<std::string_view> namespace_uri = std::nullopt) const;
};

struct Document {
  Element root;
};

struct ParseLimits {
  std::size_t max_bytes = std::size_t{1} << 20;       // input size
  std::size_t max_depth = 64;                         // element nesting
  std::size_t max_elements = 100000;
  std::size_t max_attributes_per_element = 64;        // namespace declarations included
  std::size_t max_name_bytes = 256;
  // All character data, attribute values and namespace URIs together; a
  // namespace URI counts once per element or attribute it is copied to.
  std::size_t max_text_bytes = std::size_t{1} << 20;
};

// Errors: kInvalidArgument (malformed, or has a DOCTYPE/entity declaration;
// the message gives the line, never the input), kResourceExhausted (a limit).
Result<Document> Parse(std::string_view document, const ParseLimits& limits = {});

}  // namespace bulwark::xml
