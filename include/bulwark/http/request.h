#pragma once
// Request: the project-owned view of one HTTP request, as handlers and
// middleware see it. The server fills it from the wire after its own strict
// checks (request line, header syntax, limits); handlers never see Beast or
// Asio types, so a handler file compiles in about a second.
//
// Everything in a Request came from the network: header values, the target,
// the query and the body are attacker-controlled. The body and query values
// are handed out as Untrusted<T>, so they must pass validation before code
// that takes Valid<T> can use them. Path parameters are typed by the route
// template (see router.h) and were checked when the route matched.
//
// Thread-safety: a Request belongs to one request; it is not shared between
// threads. Ownership: the Request owns all its strings.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"

namespace bulwark::auth {
// Defined by the auth module. The http module only carries it.
class Principal;
}  // namespace bulwark::auth

namespace bulwark::validate {
// Defined by the validate module (bulwark/validate/json.h).
class JsonValue;
}  // namespace bulwark::validate

namespace bulwark::http {

struct Route;

// The methods bulwark serves. Anything else (TRACE, CONNECT, WebDAV, custom
// tokens) is refused by the server with 501 before any handler runs.
enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };
inline constexpr std::size_t kMethodCount = 7;

std::string_view MethodName(Method method) noexcept;  // "GET", ...
// Exact, case-sensitive (RFC 9110: methods are case-sensitive).
std::optional<Method> ParseMethod(std::string_view name) noexcept;
// GET, HEAD, OPTIONS (RFC 9110 9.2.1). Unsafe methods need CSRF checks.
bool IsSafeMethod(Method method) noexcept;

// True if `c` may appear in a field name (an RFC 9110 token character).
bool IsTokenChar(char c) noexcept;
bool IsToken(std::string_view text) noexcept;
// A field value with no CR, LF, NUL or other control character except HTAB.
bool IsValidFieldValue(std::string_view value) noexcept;

// The fields the server writes itself: Content-Length, Transfer-Encoding,
// Connection, Keep-Alive, Upgrade, Date and Server (any case). A response's
// own are never sent, and a HeaderBlock may not contain them.
bool IsServerOwnedField(std::string_view name) noexcept;

// Case-insensitive ASCII comparison, for header names and tokens. Inline:
// every header lookup runs it.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    // Equal ignoring case only if both are the same letter.
    const unsigned lx = x | 0x20U;
    if (lx != (y | 0x20U) || lx < 'a' || lx > 'z') return false;
  }
  return true;
}

class HeaderBlock;

// An ordered list of header fields. Lookup is case-insensitive; order and
// repetition are kept as received.
//
// Storage: the fields are kept as their wire form ("Name: value\r\n" each,
// in order) in one buffer, so adding a field copies two strings and costs no
// allocation of its own, and the server sends the buffer as it is. Views
// handed out (Get, All, fields()) point into that buffer: they stay valid
// until the Headers is next changed.
class Headers {
 public:
  // One field, as views into the Headers (see above for how long they live).
  struct Field {
    std::string_view name;
    std::string_view value;
  };

  // The value of the only field called `name`; nullopt if it is absent.
  // If it occurs several times, the first is returned: callers for which
  // repetition matters use Count() or All().
  std::optional<std::string_view> Get(std::string_view name) const noexcept;
  std::vector<std::string_view> All(std::string_view name) const;
  std::size_t Count(std::string_view name) const noexcept;
  bool Has(std::string_view name) const noexcept { return Count(name) > 0; }

  // Replaces all fields called `name` with one field. The server refuses to
  // send a response whose fields are not tokens/valid values (it sends a 500
  // instead), so a CRLF that reaches a header can never split the response.
  void Set(std::string_view name, std::string_view value);
  void Add(std::string_view name, std::string_view value);
  // Appends every field of `block` (checked when the block was built, so
  // AllFieldsValid() does not look at them again). A block with a slot
  // (HeaderBlock::Builder::AddWithSlot) takes the slot's text from `slot`;
  // that text is checked here like any added value. Fields already present
  // stay: to replace them, Remove() them first.
  void Append(const HeaderBlock& block, std::string_view slot = {});
  // Set() for a whole block: removes every field named like one of the
  // block's fields, then appends the block.
  void Replace(const HeaderBlock& block, std::string_view slot = {});
  void Remove(std::string_view name) noexcept;
  void Clear() noexcept;

  // True if every name is a token and every value a valid field value
  // (IsToken, IsValidFieldValue): what the server requires before it sends a
  // response. Fields that came from a HeaderBlock were checked when the
  // block was built and are not checked again.
  bool AllFieldsValid() const noexcept;

  // The fields in order, as "Name: value\r\n" lines (the wire form; nothing
  // here has been checked unless AllFieldsValid() says so).
  std::string_view wire() const noexcept { return data_; }

  // True if a field the server writes itself (IsServerOwnedField) may be
  // present; the serializer then drops those one by one instead of sending
  // wire() as it is. Fields from a HeaderBlock never are.
  bool has_server_owned_fields() const noexcept { return server_owned_; }

  std::size_t size() const noexcept { return entries_.size(); }
  // REQUIRES: i < size().
  Field field(std::size_t i) const noexcept {
    const Entry& e = entries_[i];
    return {NameOf(e), ValueOf(e)};
  }

  // Iteration over the fields in order: `for (Headers::Field f : h.fields())`.
  class FieldIterator {
   public:
    using value_type = Field;
    using difference_type = std::ptrdiff_t;
    FieldIterator() = default;
    Field operator*() const noexcept { return headers_->field(index_); }
    FieldIterator& operator++() noexcept {
      ++index_;
      return *this;
    }
    FieldIterator operator++(int) noexcept {
      FieldIterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const FieldIterator& other) const noexcept { return index_ == other.index_; }

   private:
    friend class Headers;
    FieldIterator(const Headers* headers, std::size_t index) : headers_(headers), index_(index) {}
    const Headers* headers_ = nullptr;
    std::size_t index_ = 0;
  };
  struct FieldRange {
    FieldIterator first;
    FieldIterator last;
    FieldIterator begin() const noexcept { return first; }
    FieldIterator end() const noexcept { return last; }
  };
  FieldRange fields() const noexcept {
    return {FieldIterator(this, 0), FieldIterator(this, entries_.size())};
  }

 private:
  friend class HeaderBlock;
  struct Entry {
    std::uint32_t offset = 0;      // of the name in data_
    std::uint32_t name_size = 0;   // the value starts at offset + name_size + 2
    std::uint32_t value_size = 0;  // the line ends at value start + value_size + 2
    bool checked = false;          // known valid (from a HeaderBlock)
  };
  // Entries always lie inside data_ (kept so by every change).
  std::string_view NameOf(const Entry& e) const noexcept {
    return std::string_view(data_.data() + e.offset, e.name_size);
  }
  std::string_view ValueOf(const Entry& e) const noexcept {
    return std::string_view(data_.data() + e.offset + e.name_size + 2, e.value_size);
  }
  void AddUnaliased(std::string_view name, std::string_view value);
  // One of 64 bits for a name, the same for names equal ignoring case.
  static std::uint64_t NameBit(std::string_view name) noexcept {
    if (name.empty()) return 1;
    const auto first = static_cast<unsigned char>(name.front()) | 0x20U;
    const auto last = static_cast<unsigned char>(name.back()) | 0x20U;
    return std::uint64_t{1} << ((name.size() * 7 + first + last * 3) & 63U);
  }

  std::string data_;
  std::vector<Entry> entries_;
  // NameBit of every name added since the last Clear (Remove leaves the
  // bits: a superset). A name whose bit is not here is not a field, so most
  // lookups of absent fields and most Replace()s skip the scan.
  std::uint64_t name_bits_ = 0;
  // A field the server writes itself (IsServerOwnedField) may be present.
  bool server_owned_ = false;
};

// A fixed list of response fields, checked and serialized once (typically
// when a middleware is built) and then appended to many responses with
// Headers::Append: one copy, no per-field check on the way out. Names must
// be tokens and values valid field values, and the fields the server writes
// itself (Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade,
// Date, Server) are refused, so a block can always be sent verbatim.
//
// One field may have a slot: its value is `prefix` + text given per
// response to Append + `suffix` (the CSP nonce).
//
// Thread-safety: immutable once built; share it freely.
class HeaderBlock {
 public:
  class Builder {
   public:
    Builder& Add(std::string_view name, std::string_view value);
    // At most one per block.
    Builder& AddWithSlot(std::string_view name, std::string_view prefix, std::string_view suffix);
    // Errors: kInvalidArgument (a name that is not a token, an invalid
    // value, a field the server writes itself, a second slot).
    Result<HeaderBlock> Build() const;

   private:
    struct Pending {
      std::string name;
      std::string value;   // the whole value, or the prefix for the slot field
      std::string suffix;  // slot field only
      bool slot = false;
    };
    std::vector<Pending> fields_;
  };

  HeaderBlock() = default;
  std::size_t size() const noexcept { return entries_.size(); }
  bool has_slot() const noexcept { return slot_field_ != kNoSlot; }

 private:
  friend class Headers;
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  std::string data_;  // wire form, the slot's text left out
  std::vector<Headers::Entry> entries_;
  std::uint64_t name_bits_ = 0;  // Headers::NameBit of every name
  std::size_t slot_field_ = kNoSlot;  // index into entries_
  std::size_t slot_offset_ = 0;       // where the slot's text goes in data_
};

// A path parameter after its route template checked it. `{id:int}` yields an
// integer, `{name}`, `{slug:slug}` and `{id:uuid}` yield text (decoded).
struct PathParam {
  enum class Kind : std::uint8_t { kString, kInt, kSlug, kUuid };
  std::string name;
  Kind kind = Kind::kString;
  std::string text;
  std::int64_t number = 0;
};

// Text of at most N bytes kept inside the object, so setting it never
// allocates: RequestContext's request id and CSP nonce are set on every
// request. Text longer than N is cut to its first N bytes. It reads as a
// std::string_view; std::string(text) copies it, and `+` with strings
// builds a std::string ("nonce=\"" + ctx.csp_nonce + "\"").
//
// Thread-safety: a value type.
template <std::size_t N>
class InlineString {
  static_assert(N > 0 && N < 256, "the size is kept in one byte");

 public:
  static constexpr std::size_t kCapacity = N;

  InlineString() noexcept = default;
  explicit InlineString(std::string_view text) noexcept { assign(text); }
  InlineString& operator=(std::string_view text) noexcept {
    assign(text);
    return *this;
  }
  void assign(std::string_view text) noexcept {
    const std::size_t n = text.size() < N ? text.size() : N;
    // memmove: `text` may be this very text.
    if (n > 0) std::memmove(data_, text.data(), n);
    size_ = static_cast<std::uint8_t>(n);
  }
  void clear() noexcept { size_ = 0; }

  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view view() const noexcept { return std::string_view(data_, size_); }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: implicit on purpose

  friend bool operator==(const InlineString& a, const InlineString& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator==(const InlineString& a, std::string_view b) noexcept {
    return a.view() == b;
  }
  friend std::string operator+(std::string a, const InlineString& b) {
    a.append(b.view());
    return a;
  }
  friend std::string operator+(const char* a, const InlineString& b) {
    std::string out(a);
    out.append(b.view());
    return out;
  }
  friend std::string operator+(const InlineString& a, std::string_view b) {
    std::string out(a.view());
    out.append(b);
    return out;
  }

 private:
  std::uint8_t size_ = 0;
  char data_[N] = {};
};

// What middleware learns about one request. Fields are filled in order by the
// server and the middleware chain; each says who sets it.
struct RequestContext {
  // Set by the RequestId middleware: 128-bit random, base64url (22
  // characters), or a checked client id of at most 64 with trust_incoming.
  // Echoed in the X-Request-Id response header and in every problem body and
  // log line. Kept inline (no allocation per request).
  InlineString<64> request_id;
  // The TCP peer (set by the server) and the client after trusted-proxy
  // resolution (set by the ProxyHeaders middleware; equals peer_ip otherwise).
  std::string peer_ip;
  std::uint16_t peer_port = 0;
  std::string client_ip;
  // True when the request arrived over TLS, or over a trusted proxy that said
  // https. HSTS and the __Host- cookie defaults rely on it.
  bool secure = false;
  // The route that matched (owned by the Router, which outlives requests);
  // null for 404/405/automatic OPTIONS. Set by App before the chain runs,
  // so middleware can apply per-route options.
  const Route* route = nullptr;
  // Set by the SecurityHeaders middleware: a fresh 128-bit nonce for this
  // response (base64url, 22 characters), for <script nonce="..."> in
  // templates. Empty if CSP is off. Kept inline (no allocation per request).
  InlineString<32> csp_nonce;
  // Set by the Csrf middleware on requests that carry a session: a token
  // masked freshly for this response, to embed in forms or send back in the
  // X-CSRF-Token header.
  std::string csrf_token;
  // The authenticated principal, set by the auth middleware; null when the
  // request is anonymous. Responses to requests with a principal are never
  // cached (Cache-Control: no-store).
  std::shared_ptr<const auth::Principal> principal;
  // Set by the RequestChecks middleware for routes that consume
  // application/json: the body, parsed within the limits. Well-formed but
  // still Untrusted: validate it against a schema before use.
  std::shared_ptr<const Untrusted<validate::JsonValue>> json_body;
  // When the request started and by when its handler should be done
  // (ServerLimits::handler_timeout). Long handlers should check it.
  std::chrono::steady_clock::time_point start{};
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class Request {
 public:
  // A request for tests and in-memory use. `target` must be origin-form
  // ("/path?query"); errors: kInvalidArgument.
  static Result<Request> Create(Method method, std::string_view target);

  Method method() const noexcept { return method_; }
  // The raw request target as received ("/a/b?x=1").
  const std::string& target() const noexcept { return target_; }
  // The path part of the target, still percent-encoded.
  std::string_view path() const noexcept;
  // The raw query (without '?'); empty if none.
  std::string_view query() const noexcept;
  // The first query parameter called `name`, percent-decoded ('+' is a
  // space). nullopt if absent or malformed (bad escape, invalid UTF-8).
  std::optional<Untrusted<std::string>> QueryParam(std::string_view name) const;

  const Headers& headers() const noexcept { return headers_; }
  Headers& mutable_headers() noexcept { return headers_; }
  std::optional<std::string_view> Header(std::string_view name) const noexcept {
    return headers_.Get(name);
  }

  // The body, bounded by the server's and the route's body limit.
  Untrusted<std::string_view> Body() const noexcept { return Untrusted<std::string_view>(body_); }
  std::size_t body_size() const noexcept { return body_.size(); }
  void SetBody(std::string body) { body_ = std::move(body); }

  // HTTP/1.0 or 1.1 (minor version 0 or 1).
  int version_minor() const noexcept { return version_minor_; }
  void set_version_minor(int minor) noexcept { version_minor_ = minor; }

  RequestContext& context() noexcept { return context_; }
  const RequestContext& context() const noexcept { return context_; }

  // Typed path parameters (see router.h). REQUIRES: the matched route
  // declares `name` with a matching type: Int() for {name:int}, Text() for
  // the others. Asking for an undeclared parameter is a bug and aborts.
  std::int64_t PathInt(std::string_view name) const;
  std::string_view PathText(std::string_view name) const;
  const std::vector<PathParam>& path_params() const noexcept { return params_; }
  void set_path_params(std::vector<PathParam> params) { params_ = std::move(params); }

 private:
  Request(Method method, std::string target)
      : method_(method), target_(std::move(target)), path_size_(target_.find('?')) {
    if (path_size_ == std::string::npos) path_size_ = target_.size();
  }

  Method method_ = Method::kGet;
  std::string target_;
  std::size_t path_size_ = 0;  // the path is target_[0, path_size_): found once
  int version_minor_ = 1;
  Headers headers_;
  std::string body_;
  std::vector<PathParam> params_;
  RequestContext context_;
};

// Checks that `target` is an origin-form request target: starts with '/',
// only visible ASCII, no '#', no space. The server applies this to every
// request; Request::Create too.
bool IsValidOriginForm(std::string_view target) noexcept;

// Percent-decodes `text` strictly: every '%' is followed by two hex digits,
// the result is valid UTF-8 and has no NUL. `plus_is_space` for query strings.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace bulwark::http
