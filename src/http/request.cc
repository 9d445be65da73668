#include "bulwark/http/request.h"

#include <array>

#include "bulwark/core/check.h"
#include "util.h"

namespace bulwark::http {
namespace {

constexpr std::array<std::string_view, kMethodCount> kMethodNames = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

namespace internal {
// Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k <= n; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    }
    i += n + 1;
  }
  return true;
}


void AppendJsonEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy a run of printable ASCII that needs no escaping in one append
    // (most of every log line); everything else takes the slow path below.
    std::size_t run = i;
    while (run < text.size()) {
      auto r = static_cast<unsigned char>(text[run]);
      if (r < 0x20 || r >= 0x7F || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      if (i == text.size()) break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // Copy a valid UTF-8 sequence whole; replace an invalid byte.
      std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (n > 1 && i + n <= text.size() && IsValidUtf8(text.substr(i, n))) {
        out.append(text.substr(i, n));
        i += n;
      } else {
        out += "\\ufffd";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string MediaType(std::string_view value) {
  std::string_view v = value.substr(0, value.find(';'));
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return ToLowerAscii(v);
}

}  // namespace internal

std::string_view MethodName(Method method) noexcept {
  return kMethodNames[static_cast<std::size_t>(method)];
}

std::optional<Method> ParseMethod(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == name) return static_cast<Method>(i);
  }
  return std::nullopt;
}

bool IsSafeMethod(Method method) noexcept {
  return method == Method::kGet || method == Method::kHead || method == Method::kOptions;
}

namespace {
// RFC 9110 tchar as a table: every header name of every response is checked
// on the way out, so this is on the hot path.
constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTokenChar = MakeTokenTable();
}  // namespace

bool IsTokenChar(char c) noexcept { return kTokenChar[static_cast<unsigned char>(c)]; }

bool IsToken(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    if (!kTokenChar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

bool IsValidFieldValue(std::string_view value) noexcept {
  // No early exit, so the loop vectorizes: every response header value (a
  // CSP policy is ~300 bytes) goes through here before it is sent.
  unsigned char bad = 0;  // byte-wide, so the vector lanes stay 16 bytes wide
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    bad = static_cast<unsigned char>(bad | ((c < 0x20 && c != '\t') | (c == 0x7F)));
  }
  return bad == 0;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

namespace {
// Header lookups compare lengths inline first: most fields differ in length.
inline bool SameName(const std::string& field, std::string_view name) noexcept {
  return field.size() == name.size() && EqualsIgnoreCase(field, name);
}
}  // namespace

std::optional<std::string_view> Headers::Get(std::string_view name) const noexcept {
  for (const auto& f : fields_) {
    if (SameName(f.name, name)) return std::string_view(f.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::All(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& f : fields_) {
    if (SameName(f.name, name)) out.emplace_back(f.value);
  }
  return out;
}

std::size_t Headers::Count(std::string_view name) const noexcept {
  std::size_t n = 0;
  for (const auto& f : fields_) {
    if (SameName(f.name, name)) ++n;
  }
  return n;
}

void Headers::Set(std::string_view name, std::string_view value) {
  Remove(name);
  Add(name, value);
}

void Headers::Add(std::string_view name, std::string_view value) {
  // A response collects a dozen fields on its way through SecureDefaults():
  // start with room for several instead of growing 1, 2, 4, 8, 16.
  if (fields_.capacity() == 0) fields_.reserve(8);
  Field& f = fields_.emplace_back();
  f.name.assign(name);
  f.value.assign(value);
}

void Headers::Remove(std::string_view name) noexcept {
  std::erase_if(fields_, [&](const Field& f) { return SameName(f.name, name); });
}

bool IsValidOriginForm(std::string_view target) noexcept {
  if (target.empty() || target.front() != '/') return false;
  for (char ch : target) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '#') return false;
  }
  return true;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return Error(ErrorCode::kInvalidArgument, "truncated percent escape");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return Error(ErrorCode::kInvalidArgument, "bad percent escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "NUL in decoded text");
  }
  if (!internal::IsValidUtf8(out)) return Error(ErrorCode::kInvalidArgument, "invalid UTF-8");
  return out;
}

Result<Request> Request::Create(Method method, std::string_view target) {
  if (!IsValidOriginForm(target)) {
    return Error(ErrorCode::kInvalidArgument, "request target is not origin-form");
  }
  return Request(method, std::string(target));
}

std::string_view Request::path() const noexcept {
  std::string_view t = target_;
  return t.substr(0, t.find('?'));
}

std::string_view Request::query() const noexcept {
  std::string_view t = target_;
  std::size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

std::optional<Untrusted<std::string>> Request::QueryParam(std::string_view name) const {
  std::string_view q = query();
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    std::size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    Result<std::string> decoded_name = PercentDecode(raw_name, true);
    if (decoded_name.ok() && *decoded_name == name) {
      std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      Result<std::string> value = PercentDecode(raw_value, true);
      if (!value.ok()) return std::nullopt;
      return Untrusted<std::string>(std::move(value).value());
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::int64_t Request::PathInt(std::string_view name) const {
  for (const auto& p : params_) {
    if (p.name == name) {
      BULWARK_CHECK(p.kind == PathParam::Kind::kInt);
      return p.number;
    }
  }
  BULWARK_CHECK(false && "no such path parameter");
  return 0;
}

std::string_view Request::PathText(std::string_view name) const {
  for (const auto& p : params_) {
    if (p.name == name) {
      BULWARK_CHECK(p.kind != PathParam::Kind::kInt);
      return p.text;
    }
  }
  BULWARK_CHECK(false && "no such path parameter");
  return {};
}

}  // namespace bulwark::http
