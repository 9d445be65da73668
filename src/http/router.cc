#include "bulwark/http/router.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>

#include "bulwark/core/check.h"

namespace bulwark::http {
namespace {

struct Segment {
  bool is_param = false;
  std::string literal;  // decoded literal text
  std::string name;
  PathParam::Kind kind = PathParam::Kind::kString;
};

struct CompiledRoute {
  Route route;
  std::vector<Segment> segments;
  int specificity = 0;
};

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  // REQUIRES: path starts with '/'. "/" has zero segments.
  path.remove_prefix(1);
  if (path.empty()) return parts;
  while (true) {
    std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool IsLowerAlnumDash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool ParseTyped(PathParam::Kind kind, std::string_view text, PathParam& out) {
  switch (kind) {
    case PathParam::Kind::kString:
      if (text.empty() || text.size() > 1024) return false;
      out.text = std::string(text);
      return true;
    case PathParam::Kind::kInt: {
      std::string_view digits = text;
      if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
      if (digits.empty() || digits.size() > 19) return false;
      if (digits.size() > 1 && digits.front() == '0') return false;
      for (char c : digits) {
        if (c < '0' || c > '9') return false;
      }
      if (text == "-0") return false;
      std::int64_t value = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || ptr != text.data() + text.size()) return false;
      out.number = value;
      out.text = std::string(text);
      return true;
    }
    case PathParam::Kind::kSlug:
      if (text.empty() || text.size() > 64) return false;
      for (char c : text) {
        if (!IsLowerAlnumDash(c)) return false;
      }
      out.text = std::string(text);
      return true;
    case PathParam::Kind::kUuid: {
      if (text.size() != 36) return false;
      for (std::size_t i = 0; i < 36; ++i) {
        bool dash = (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
      }
      out.text = std::string(text);
      return true;
    }
  }
  return false;
}

std::vector<Segment> CompilePattern(std::string_view pattern) {
  BULWARK_CHECK(!pattern.empty() && pattern.front() == '/');
  BULWARK_CHECK(IsValidOriginForm(pattern) && pattern.find('?') == std::string_view::npos);
  std::vector<Segment> segments;
  for (std::string_view part : SplitPath(pattern)) {
    BULWARK_CHECK(!part.empty());  // no "//" and no trailing '/' in templates
    Segment seg;
    if (part.front() == '{') {
      BULWARK_CHECK(part.back() == '}' && part.size() > 2);
      std::string_view inner = part.substr(1, part.size() - 2);
      std::size_t colon = inner.find(':');
      std::string_view name = inner.substr(0, colon);
      BULWARK_CHECK(!name.empty());
      for (char c : name) {
        BULWARK_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                      (c >= '0' && c <= '9'));
      }
      seg.is_param = true;
      seg.name = std::string(name);
      if (colon != std::string_view::npos) {
        std::string_view type = inner.substr(colon + 1);
        if (type == "int") {
          seg.kind = PathParam::Kind::kInt;
        } else if (type == "slug") {
          seg.kind = PathParam::Kind::kSlug;
        } else if (type == "uuid") {
          seg.kind = PathParam::Kind::kUuid;
        } else {
          BULWARK_CHECK(type == "string");
        }
      }
      for (const auto& s : segments) BULWARK_CHECK(!s.is_param || s.name != seg.name);
    } else {
      BULWARK_CHECK(part.find('{') == std::string_view::npos && part.find('}') == std::string_view::npos);
      BULWARK_CHECK(part != "." && part != "..");
      Result<std::string> decoded = PercentDecode(part, false);
      BULWARK_CHECK(decoded.ok());
      seg.literal = std::move(decoded).value();
    }
    segments.push_back(std::move(seg));
  }
  BULWARK_CHECK(segments.size() <= 30);  // keeps Specificity() in range
  return segments;
}

bool SameShape(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_param != b[i].is_param) return false;
    if (a[i].is_param && a[i].kind != b[i].kind) return false;
    if (!a[i].is_param && a[i].literal != b[i].literal) return false;
  }
  return true;
}

// Literal segments take precedence over parameters: "/users/me" beats
// "/users/{id}" whatever the order of registration.
int Specificity(const std::vector<Segment>& segments) {
  int score = 0;
  for (const auto& s : segments) score = score * 2 + (s.is_param ? 0 : 1);
  return score;
}

}  // namespace

struct Router::Impl {
  std::vector<CompiledRoute> routes;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

std::size_t Router::size() const noexcept { return impl_->routes.size(); }

Router& Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  BULWARK_CHECK(handler != nullptr);
  BULWARK_CHECK(method != Method::kHead);  // HEAD is served by GET
  CompiledRoute compiled;
  compiled.segments = CompilePattern(pattern);
  for (const auto& r : impl_->routes) {
    BULWARK_CHECK(!(r.route.method == method && SameShape(r.segments, compiled.segments)));
  }
  compiled.route = Route{method, std::string(pattern), std::move(handler), std::move(options)};
  compiled.specificity = Specificity(compiled.segments);
  impl_->routes.push_back(std::move(compiled));
  return *this;
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  // The decoded segments, as views: a segment without '%' and with only
  // ASCII other than NUL decodes to itself (what PercentDecode would
  // return), so only segments with escapes get a decoded copy. Up to
  // kInlineParts segments need no allocation at all.
  constexpr std::size_t kInlineParts = 16;
  std::string_view rest = path.substr(1);
  const std::size_t count =
      rest.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '/'));
  std::array<std::string_view, kInlineParts> inline_parts;
  std::vector<std::string_view> heap_parts;
  if (count > kInlineParts) heap_parts.resize(count);
  std::string_view* part_data = count > kInlineParts ? heap_parts.data() : inline_parts.data();
  std::vector<std::string> decoded_storage;  // stable: reserved before use
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t slash = rest.find('/');
    std::string_view r = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (r.empty()) return match;  // "//" or a trailing '/'
    bool plain = true;
    for (char c : r) {
      auto u = static_cast<unsigned char>(c);
      plain = plain && u != '%' && u != 0 && u < 0x80;
    }
    std::string_view part = r;
    if (!plain) {
      Result<std::string> decoded = PercentDecode(r, false);
      if (!decoded.ok()) return match;
      if (decoded->find('/') != std::string::npos) return match;
      if (decoded_storage.capacity() == 0) decoded_storage.reserve(count);
      decoded_storage.push_back(std::move(decoded).value());
      part = decoded_storage.back();
    }
    if (part == "." || part == "..") return match;
    part_data[i] = part;
  }
  const std::span<const std::string_view> parts(part_data, count);
  Method lookup = method == Method::kHead ? Method::kGet : method;
  bool methods[kMethodCount] = {};
  bool any = false;
  int best = -1;
  for (const auto& r : impl_->routes) {
    if (r.segments.size() != parts.size()) continue;
    std::vector<PathParam> params;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const Segment& seg = r.segments[i];
      if (!seg.is_param) {
        ok = seg.literal == parts[i];
      } else {
        PathParam p;
        p.name = seg.name;
        p.kind = seg.kind;
        ok = ParseTyped(seg.kind, parts[i], p);
        if (ok) params.push_back(std::move(p));
      }
    }
    if (!ok) continue;
    any = true;
    methods[static_cast<std::size_t>(r.route.method)] = true;
    if (r.route.method == lookup && r.specificity > best) {
      best = r.specificity;
      match.kind = Match::Kind::kFound;
      match.route = &r.route;
      match.params = std::move(params);
    }
  }
  if (match.route != nullptr) return match;
  if (!any) return match;
  // Allow lists what the path supports; GET implies HEAD; OPTIONS always.
  std::string allow;
  auto append = [&](std::string_view m) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  };
  for (std::size_t i = 0; i < kMethodCount; ++i) {
    auto m = static_cast<Method>(i);
    if (m == Method::kHead) {
      if (methods[static_cast<std::size_t>(Method::kGet)]) append("HEAD");
      continue;
    }
    if (m == Method::kOptions) continue;
    if (methods[i]) append(MethodName(m));
  }
  append("OPTIONS");
  match.allow = std::move(allow);
  match.kind = method == Method::kOptions ? Match::Kind::kAutoOptions : Match::Kind::kMethodNotAllowed;
  return match;
}

}  // namespace bulwark::http
