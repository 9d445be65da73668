#include "bulwark/http/cookies.h"

namespace bulwark::http {
namespace {

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool IsCookieOctet(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

bool IsCookieValue(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  for (char c : v) {
    if (!IsCookieOctet(c)) return false;
  }
  return true;
}

bool IsDomainOrPathSafe(std::string_view v) {
  for (char ch : v) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E || c == ';' || c == ',') return false;
  }
  return true;
}

}  // namespace

CookieBuilder::CookieBuilder(std::string name, std::string value)
    : name_(std::move(name)), value_(std::move(value)) {}

CookieBuilder& CookieBuilder::UnsafeSameSiteNone(Reason reason) {
  bad_reason_ = bad_reason_ || reason.text.empty();
  same_site_ = SameSite::kNone;
  return *this;
}
CookieBuilder& CookieBuilder::MaxAge(std::chrono::seconds max_age) {
  max_age_ = max_age;
  return *this;
}
CookieBuilder& CookieBuilder::Expire() {
  max_age_ = std::chrono::seconds(0);
  return *this;
}
CookieBuilder& CookieBuilder::UnsafeAllowScriptAccess(Reason reason) {
  bad_reason_ = bad_reason_ || reason.text.empty();
  http_only_ = false;
  return *this;
}
CookieBuilder& CookieBuilder::WithoutHostPrefix(Reason reason, std::string domain, std::string path) {
  bad_reason_ = bad_reason_ || reason.text.empty();
  host_prefix_ = false;
  domain_ = std::move(domain);
  path_ = std::move(path);
  return *this;
}
CookieBuilder& CookieBuilder::UnsafeInsecure(Reason reason) {
  bad_reason_ = bad_reason_ || reason.text.empty();
  secure_ = false;
  host_prefix_ = false;
  return *this;
}

std::string CookieBuilder::FullName() const {
  if (secure_ && host_prefix_) return "__Host-" + name_;
  if (secure_) return "__Secure-" + name_;
  return name_;
}

Result<std::string> CookieBuilder::Build() const {
  if (bad_reason_) return Error(ErrorCode::kInvalidArgument, "weakening a cookie needs a reason");
  if (!IsToken(name_) || name_.rfind("__", 0) == 0) {
    return Error(ErrorCode::kInvalidArgument, "cookie name must be a token without a __ prefix");
  }
  if (value_.size() > 4000 || !IsCookieValue(value_)) {
    return Error(ErrorCode::kInvalidArgument, "cookie value has characters outside cookie-octet");
  }
  if (!IsDomainOrPathSafe(domain_) || !IsDomainOrPathSafe(path_) || path_.empty() || path_[0] != '/') {
    return Error(ErrorCode::kInvalidArgument, "bad cookie domain or path");
  }
  if (same_site_ == SameSite::kNone && !secure_) {
    return Error(ErrorCode::kInvalidArgument, "SameSite=None requires Secure");
  }
  std::string out = FullName() + "=" + value_;
  if (!domain_.empty()) out += "; Domain=" + domain_;
  out += "; Path=" + (host_prefix_ && secure_ ? std::string("/") : path_);
  if (max_age_) out += "; Max-Age=" + std::to_string(max_age_->count() < 0 ? 0 : max_age_->count());
  if (secure_) out += "; Secure";
  if (http_only_) out += "; HttpOnly";
  switch (same_site_) {
    case SameSite::kStrict: out += "; SameSite=Strict"; break;
    case SameSite::kLax: out += "; SameSite=Lax"; break;
    case SameSite::kNone: out += "; SameSite=None"; break;
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseCookieHeader(
    std::string_view header, const CookieLimits& limits) {
  if (header.size() > limits.max_header_bytes) {
    return Error(ErrorCode::kResourceExhausted, "cookie header too large");
  }
  std::vector<std::pair<std::string, std::string>> out;
  if (header.empty()) return out;
  while (true) {
    std::size_t sep = header.find("; ");
    std::string_view pair = header.substr(0, sep);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Error(ErrorCode::kInvalidArgument, "cookie pair without name=value");
    }
    std::string_view name = pair.substr(0, eq);
    std::string_view value = pair.substr(eq + 1);
    if (!IsToken(name) || !IsCookieValue(value)) {
      return Error(ErrorCode::kInvalidArgument, "malformed cookie");
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    for (const auto& [n, v] : out) {
      if (n == name) return Error(ErrorCode::kInvalidArgument, "duplicate cookie name");
    }
    if (out.size() >= limits.max_cookies) return Error(ErrorCode::kResourceExhausted, "too many cookies");
    out.emplace_back(std::string(name), std::string(value));
    if (sep == std::string_view::npos) break;
    header.remove_prefix(sep + 2);
  }
  return out;
}

std::optional<std::string> FindCookie(const Request& request, std::string_view name,
                                      const CookieLimits& limits) {
  // Most requests (API clients) carry no cookie: one scan, no vector.
  if (!request.headers().Has("cookie")) return std::nullopt;
  std::vector<std::string_view> headers = request.headers().All("cookie");
  // HTTP/1.1 clients send one Cookie header; several are joined with "; ".
  std::string joined;
  for (std::string_view h : headers) {
    if (!joined.empty()) joined += "; ";
    joined += h;
  }
  auto parsed = ParseCookieHeader(joined, limits);
  if (!parsed.ok()) return std::nullopt;
  for (auto& [n, v] : *parsed) {
    if (n == name) return std::move(v);
  }
  return std::nullopt;
}

}  // namespace bulwark::http
