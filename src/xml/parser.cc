#include "bulwark/xml/parser.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <mutex>
#include <string>
#include <vector>

namespace bulwark::xml {
namespace {

std::string_view View(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

struct State {
  const ParseLimits* limits = nullptr;
  xmlParserCtxtPtr ctxt = nullptr;
  Document doc;
  bool has_root = false;
  std::vector<Element*> stack;
  std::size_t elements = 0;
  std::size_t text_bytes = 0;
  std::optional<Error> error;

  void Fail(ErrorCode code, std::string message) {
    if (!error) error.emplace(code, std::move(message));
    if (ctxt != nullptr) xmlStopParser(ctxt);
  }

  // Charges `bytes` of string data copied into the tree to the text budget.
  // A namespace URI is declared once but copied to every element and
  // attribute in that namespace, so it is charged for each copy: otherwise a
  // long URI and many short `<p:e p:a="">` would build a tree thousands of
  // times larger than the document.
  bool Charge(std::size_t bytes) {
    text_bytes += bytes;
    if (text_bytes <= limits->max_text_bytes) return true;
    Fail(ErrorCode::kResourceExhausted, "XML text is too large");
    return false;
  }
};

State& Of(void* ctx) { return *static_cast<State*>(ctx); }

void OnStartElement(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                    const xmlChar* uri, int nb_namespaces, const xmlChar**, int nb_attributes,
                    int, const xmlChar** attributes) {
  State& s = Of(ctx);
  if (s.error) return;
  const ParseLimits& lim = *s.limits;
  if (s.stack.size() >= lim.max_depth) {
    return s.Fail(ErrorCode::kResourceExhausted, "XML nesting is too deep");
  }
  if (++s.elements > lim.max_elements) {
    return s.Fail(ErrorCode::kResourceExhausted, "XML has too many elements");
  }
  if (static_cast<std::size_t>(nb_attributes) + static_cast<std::size_t>(nb_namespaces) >
      lim.max_attributes_per_element) {
    return s.Fail(ErrorCode::kResourceExhausted, "XML element has too many attributes");
  }
  std::string_view name = View(localname);
  if (name.size() > lim.max_name_bytes) {
    return s.Fail(ErrorCode::kResourceExhausted, "XML name is too long");
  }
  if (!s.Charge(View(uri).size())) return;
  Element element;
  element.name = std::string(name);
  element.prefix = std::string(View(prefix));
  element.namespace_uri = std::string(View(uri));
  for (int i = 0; i < nb_attributes; ++i) {
    const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
    std::string_view attr_name = View(a[0]);
    if (attr_name.size() > lim.max_name_bytes) {
      return s.Fail(ErrorCode::kResourceExhausted, "XML name is too long");
    }
    auto value_size = static_cast<std::size_t>(a[4] - a[3]);
    if (!s.Charge(value_size) || !s.Charge(View(a[2]).size())) return;
    element.attributes.push_back({std::string(attr_name), std::string(View(a[1])),
                                  std::string(View(a[2])),
                                  std::string(reinterpret_cast<const char*>(a[3]), value_size)});
  }
  Element* placed;
  if (s.stack.empty()) {
    if (s.has_root) return s.Fail(ErrorCode::kInvalidArgument, "XML has more than one root");
    s.doc.root = std::move(element);
    s.has_root = true;
    placed = &s.doc.root;
  } else {
    s.stack.back()->children.push_back(std::move(element));
    placed = &s.stack.back()->children.back();
  }
  s.stack.push_back(placed);
}

void OnEndElement(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  State& s = Of(ctx);
  if (s.error || s.stack.empty()) return;
  s.stack.pop_back();
}

void OnCharacters(void* ctx, const xmlChar* ch, int len) {
  State& s = Of(ctx);
  if (s.error || s.stack.empty() || len <= 0) return;
  if (!s.Charge(static_cast<std::size_t>(len))) return;
  s.stack.back()->text.append(reinterpret_cast<const char*>(ch), static_cast<std::size_t>(len));
}

// Any DOCTYPE: refused before its internal subset is read.
void OnDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  Of(ctx).Fail(ErrorCode::kInvalidArgument, "XML with a DOCTYPE is refused");
}

void OnEntityDecl(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  Of(ctx).Fail(ErrorCode::kInvalidArgument, "XML entity declarations are refused");
}

xmlEntityPtr OnGetEntity(void* ctx, const xmlChar*) {
  Of(ctx).Fail(ErrorCode::kInvalidArgument, "XML entity references are refused");
  return nullptr;
}

xmlParserInputPtr OnResolveEntity(void* ctx, const xmlChar*, const xmlChar*) {
  Of(ctx).Fail(ErrorCode::kInvalidArgument, "XML external resources are refused");
  return nullptr;
}

// libxml2 passes either the context or its user data here, depending on the
// error path, so nothing is read from `ctx`: the outcome is taken from the
// context after parsing. This handler only keeps errors off stderr.
void OnStructuredError(void*, xmlErrorPtr) {}

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

}  // namespace

const Element* Element::FindChild(std::string_view local_name,
                                  std::optional<std::string_view> ns) const {
  for (const auto& child : children) {
    if (child.name == local_name && (!ns || child.namespace_uri == *ns)) return &child;
  }
  return nullptr;
}

std::optional<std::string_view> Element::FindAttribute(std::string_view local_name,
                                                       std::optional<std::string_view> ns) const {
  for (const auto& a : attributes) {
    if (a.name == local_name && (!ns || a.namespace_uri == *ns)) return std::string_view(a.value);
  }
  return std::nullopt;
}

Result<Document> Parse(std::string_view document, const ParseLimits& limits) {
  if (document.size() > limits.max_bytes) {
    return Error(ErrorCode::kResourceExhausted, "XML document is too large");
  }
  if (document.empty()) return Error(ErrorCode::kInvalidArgument, "XML document is empty");
  InitOnce();

  xmlSAXHandler sax{};
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = &OnStartElement;
  sax.endElementNs = &OnEndElement;
  sax.characters = &OnCharacters;
  sax.cdataBlock = &OnCharacters;
  sax.internalSubset = &OnDoctype;
  sax.externalSubset = &OnDoctype;
  sax.entityDecl = &OnEntityDecl;
  sax.getEntity = &OnGetEntity;
  sax.getParameterEntity = &OnGetEntity;
  sax.resolveEntity = &OnResolveEntity;
  sax.serror = &OnStructuredError;

  State state;
  state.limits = &limits;
  xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, &state, nullptr, 0, nullptr);
  if (ctxt == nullptr) return Error(ErrorCode::kInternal, "XML parser allocation failed");
  state.ctxt = ctxt;
  // NONET; and, by omission, no NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE
  // or HUGE.
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING);

  constexpr std::size_t kChunk = 64 * 1024;
  int rc = 0;
  for (std::size_t off = 0; off < document.size() && !state.error; off += kChunk) {
    std::size_t n = std::min(kChunk, document.size() - off);
    bool last = off + n == document.size();
    rc = xmlParseChunk(ctxt, document.data() + off, static_cast<int>(n), last ? 1 : 0);
    if (rc != 0) break;
  }
  // Namespace errors (an undeclared prefix) are errors too.
  const bool well_formed = ctxt->wellFormed != 0 && ctxt->nsWellFormed != 0;
  // Only the line is reported: libxml2's message may quote the input.
  const int line = ctxt->lastError.line;
  xmlFreeParserCtxt(ctxt);

  if (state.error) return std::move(*state.error);
  if (rc != 0 || !well_formed) {
    return Error(ErrorCode::kInvalidArgument, "malformed XML at line " + std::to_string(line));
  }
  if (!state.has_root || !state.stack.empty()) {
    return Error(ErrorCode::kInvalidArgument, "XML document is incomplete");
  }
  return std::move(state.doc);
}

}  // namespace bulwark::xml
