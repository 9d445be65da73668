#include "bulwark/validate/strings.h"
#include "bulwark/core/utf8.h"

#include <re2/re2.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>


namespace bulwark::validate {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// True if every code point is below U+0300 (the first combining mark).
// REQUIRES: valid UTF-8. Lead bytes up to 0xCB encode at most U+02FF.
bool BelowCombiningMarks(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0xCC; });
}

Error FormatError(std::string_view what) {
  return Error(ErrorCode::kInvalidArgument, "must be " + std::string(what));
}

// --- email: RFC 5321 Mailbox, dot-atom local part, LDH domain. ---
bool IsAtext(char c) {
  if (IsAsciiAlpha(c) || IsAsciiDigit(c)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!IsAtext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

bool IsHostname(std::string_view host, bool require_two_labels) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '-') return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (require_two_labels && labels < 2) return false;
  // A top-level label of digits only would make "1.2.3.4" a domain.
  return !std::all_of(last.begin(), last.end(), IsAsciiDigit);
}

Result<std::string> CheckEmail(std::string_view s) {
  const auto bad = [] { return FormatError("an email address"); };
  if (s.size() > 254 || !IsAscii(s)) return bad();
  std::size_t at = s.rfind('@');
  if (at == std::string_view::npos) return bad();
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (local.size() > 64 || !IsDotAtom(local)) return bad();
  if (!IsHostname(domain, true)) return bad();
  std::string out(s);
  std::transform(out.begin() + static_cast<std::ptrdiff_t>(at) + 1, out.end(),
                 out.begin() + static_cast<std::ptrdiff_t>(at) + 1, AsciiLower);
  return out;
}

Result<std::string> CheckUrl(std::string_view s, const UrlPolicy& policy) {
  const auto bad = [] {
    return FormatError("an absolute URL with an allowed scheme, a host and no credentials");
  };
  if (s.size() > policy.max_length || !IsAscii(s)) return bad();
  auto parsed = boost::urls::parse_uri(boost::core::string_view(s.data(), s.size()));
  if (!parsed) return bad();
  const boost::urls::url_view& url = *parsed;
  std::string scheme(url.scheme());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), AsciiLower);
  if (std::find(policy.allowed_schemes.begin(), policy.allowed_schemes.end(), scheme) ==
      policy.allowed_schemes.end()) {
    return bad();
  }
  if (!url.has_authority() || url.has_userinfo() || url.encoded_host().empty()) return bad();
  if (url.host_type() == boost::urls::host_type::name &&
      !IsHostname(std::string_view(url.encoded_host().data(), url.encoded_host().size()), false)) {
    return bad();
  }
  return std::string(s);
}

Result<std::string> CheckUuid(std::string_view s) {
  if (s.size() != 36) return FormatError("a UUID");
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (out[i] != '-') return FormatError("a UUID");
    } else {
      if (!IsHex(out[i])) return FormatError("a UUID");
      out[i] = AsciiLower(out[i]);
    }
  }
  return out;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* value) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!IsAsciiDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

bool IsDate(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!Digits(s, 0, 4, &y) || !Digits(s, 5, 2, &m) || !Digits(s, 8, 2, &d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = kDays[static_cast<std::size_t>(m - 1)];
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && leap) days = 29;
  return d <= days;
}

bool IsTimestamp(std::string_view s) {
  // full-date "T" partial-time time-offset
  if (s.size() < 20 || !IsDate(s.substr(0, 10))) return false;
  if (s[10] != 'T' && s[10] != 't') return false;
  int hh = 0, mm = 0, ss = 0;
  if (!Digits(s, 11, 2, &hh) || s[13] != ':' || !Digits(s, 14, 2, &mm) || s[16] != ':' ||
      !Digits(s, 17, 2, &ss)) {
    return false;
  }
  if (hh > 23 || mm > 59 || ss > 60) return false;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && IsAsciiDigit(s[pos])) ++pos;
    if (pos == start || pos - start > 9) return false;
  }
  if (pos >= s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  int oh = 0, om = 0;
  if (s.size() != pos + 6 || !Digits(s, pos + 1, 2, &oh) || s[pos + 3] != ':' ||
      !Digits(s, pos + 4, 2, &om)) {
    return false;
  }
  return oh <= 23 && om <= 59;
}

bool IsIpv4(std::string_view s) {
  return static_cast<bool>(boost::urls::parse_ipv4_address(boost::core::string_view(s.data(), s.size())));
}
bool IsIpv6(std::string_view s) {
  return static_cast<bool>(boost::urls::parse_ipv6_address(boost::core::string_view(s.data(), s.size())));
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || !IsAsciiAlpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_'; });
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '-') {
      if (prev == '-') return false;
    } else if (!((c >= 'a' && c <= 'z') || IsAsciiDigit(c))) {
      return false;
    }
    prev = c;
  }
  return true;
}

bool IsControl(char32_t cp, bool allow_newlines) {
  if (cp == '\n' || cp == '\r' || cp == '\t') return !allow_newlines;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}
bool IsNoncharacter(char32_t cp) {
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}
bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}
bool IsInvisible(char32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x180E ||
         cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) || cp == 0x3164 || cp == 0xFEFF ||
         cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE007F);  // tag characters
}

std::string_view CharacterMessage(ViolationCode code) {
  switch (code) {
    case ViolationCode::kControlCharacter: return "must not contain control characters";
    case ViolationCode::kBidiControl: return "must not contain bidirectional control characters";
    case ViolationCode::kInvisibleCharacter: return "must not contain invisible characters";
    default: return "must not contain Unicode noncharacters";
  }
}

std::string_view FormatDescription(Format f) {
  switch (f) {
    case Format::kEmail: return "an email address";
    case Format::kUrl: return "an absolute URL with an allowed scheme, a host and no credentials";
    case Format::kUuid: return "a UUID";
    case Format::kTimestamp: return "an RFC 3339 timestamp";
    case Format::kDate: return "a date (YYYY-MM-DD)";
    case Format::kIpv4: return "an IPv4 address";
    case Format::kIpv6: return "an IPv6 address";
    case Format::kIp: return "an IP address";
    case Format::kIdentifier: return "an identifier (a letter, then letters, digits or _)";
    case Format::kSlug: return "a slug (lower-case letters and digits, separated by -)";
    case Format::kNone: break;
  }
  return "valid";
}

}  // namespace

bool IsValidUtf8(std::string_view text) noexcept { return ::bulwark::IsValidUtf8(text); }

std::size_t CountCodePoints(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Result<std::string> Normalize(std::string_view text, Normalization form) {
  if (!IsValidUtf8(text)) return Error(ErrorCode::kInvalidArgument, "must be valid UTF-8");
  if (form == Normalization::kNone) return std::string(text);
  if (IsAscii(text)) {
    std::string out(text);
    if (form == Normalization::kNfkcCasefold) {
      std::transform(out.begin(), out.end(), out.begin(), AsciiLower);
    }
    return out;
  }
  if (form == Normalization::kNfc && BelowCombiningMarks(text)) {
    return std::string(text);  // every code point below U+0300 is NFC_Quick_Check=Yes
  }
  int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (form == Normalization::kNfkc || form == Normalization::kNfkcCasefold) {
    options |= UTF8PROC_COMPAT;
  }
  if (form == Normalization::kNfkcCasefold) options |= UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                    static_cast<utf8proc_option_t>(options));
  if (n < 0) return Error(ErrorCode::kInvalidArgument, "must be valid UTF-8");
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  std::free(mapped);
  return out;
}

std::string_view FormatName(Format format) noexcept {
  switch (format) {
    case Format::kEmail: return "email";
    case Format::kUrl: return "uri";
    case Format::kUuid: return "uuid";
    case Format::kTimestamp: return "date-time";
    case Format::kDate: return "date";
    case Format::kIpv4: return "ipv4";
    case Format::kIpv6: return "ipv6";
    default: return "";
  }
}

Result<std::string> CheckFormat(std::string_view text, Format format, const UrlPolicy& url_policy) {
  const auto simple = [&](bool ok) -> Result<std::string> {
    if (!ok) return FormatError(FormatDescription(format));
    return std::string(text);
  };
  switch (format) {
    case Format::kNone: return std::string(text);
    case Format::kEmail: return CheckEmail(text);
    case Format::kUrl: return CheckUrl(text, url_policy);
    case Format::kUuid: return CheckUuid(text);
    case Format::kTimestamp: return simple(IsTimestamp(text));
    case Format::kDate: return simple(IsDate(text));
    case Format::kIpv4: return simple(IsIpv4(text));
    case Format::kIpv6: return simple(IsIpv6(text));
    case Format::kIp: return simple(IsIpv4(text) || IsIpv6(text));
    case Format::kIdentifier: return simple(IsIdentifier(text));
    case Format::kSlug: return simple(IsSlug(text));
  }
  return simple(false);
}

bool CheckCharacters(std::string_view text, const CharacterPolicy& policy,
                     ViolationCode* code) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    std::size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      *code = ViolationCode::kInvalidUtf8;
      return false;
    }
    i += n;
    if (cp >= 0x20 && cp < 0x7F) continue;
    if (IsControl(cp, policy.allow_newlines)) {
      *code = ViolationCode::kControlCharacter;
      return false;
    }
    if (IsNoncharacter(cp)) {
      *code = ViolationCode::kDisallowedCharacter;
      return false;
    }
    if (!policy.allow_bidi && IsBidiControl(cp)) {
      *code = ViolationCode::kBidiControl;
      return false;
    }
    if (!policy.allow_invisible && IsInvisible(cp)) {
      *code = ViolationCode::kInvisibleCharacter;
      return false;
    }
  }
  return true;
}

// --- StringRule ---

struct StringRule::Impl {
  StringRuleOptions options;
  std::unique_ptr<RE2> pattern;
};

StringRule::StringRule(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
StringRule::StringRule(StringRule&&) noexcept = default;
StringRule& StringRule::operator=(StringRule&&) noexcept = default;
StringRule::StringRule(const StringRule&) = default;
StringRule& StringRule::operator=(const StringRule&) = default;
StringRule::~StringRule() = default;

const StringRuleOptions& StringRule::options() const noexcept { return impl_->options; }

Result<StringRule> StringRule::Create(StringRuleOptions options) {
  if (options.min_length > options.max_length) {
    return Error(ErrorCode::kInvalidArgument, "string rule: min_length > max_length");
  }
  if (options.max_length > (std::size_t{1} << 24)) {
    return Error(ErrorCode::kInvalidArgument, "string rule: max_length is unreasonably large");
  }
  for (auto& scheme : options.url.allowed_schemes) {
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), AsciiLower);
  }
  for (const std::string& v : options.allowed) {
    Result<std::string> norm = Normalize(v, options.normalization);
    if (!norm.ok() || *norm != v) {
      return Error(ErrorCode::kInvalidArgument,
                   "string rule: allowed values must be valid, normalized UTF-8");
    }
  }
  auto impl = std::make_shared<Impl>();
  if (!options.pattern.empty()) {
    RE2::Options re_options;
    re_options.set_encoding(RE2::Options::EncodingUTF8);
    re_options.set_never_capture(true);
    re_options.set_log_errors(false);
    re_options.set_max_mem(1 << 20);
    impl->pattern = std::make_unique<RE2>(options.pattern, re_options);
    if (!impl->pattern->ok()) {
      return Error(ErrorCode::kInvalidArgument, "string rule: the pattern does not compile");
    }
  }
  impl->options = std::move(options);
  return StringRule(std::move(impl));
}

bool StringRule::CheckRaw(std::string_view in, std::string* out, ViolationCode* code,
                          std::string* message) const {
  const StringRuleOptions& o = impl_->options;
  auto fail = [&](ViolationCode c, std::string m) {
    *code = c;
    *message = std::move(m);
    return false;
  };
  if (!IsValidUtf8(in)) return fail(ViolationCode::kInvalidUtf8, "must be valid UTF-8");
  // Bound the work before normalizing: composition shrinks at most 3:1 and a
  // code point is at most 4 bytes.
  if (in.size() > o.max_length * 12 + 64) {
    return fail(ViolationCode::kTooLong,
                "must be at most " + std::to_string(o.max_length) + " characters");
  }
  Result<std::string> normalized = Normalize(in, o.normalization);
  if (!normalized.ok()) return fail(ViolationCode::kInvalidUtf8, "must be valid UTF-8");
  std::string s = std::move(normalized).value();
  ViolationCode char_code;
  if (!CheckCharacters(s, o.characters, &char_code)) {
    return fail(char_code, std::string(CharacterMessage(char_code)));
  }
  const std::size_t length = CountCodePoints(s);
  if (length < o.min_length) {
    return fail(ViolationCode::kTooShort,
                "must be at least " + std::to_string(o.min_length) + " characters");
  }
  if (length > o.max_length) {
    return fail(ViolationCode::kTooLong,
                "must be at most " + std::to_string(o.max_length) + " characters");
  }
  if (!o.allowed.empty() && std::find(o.allowed.begin(), o.allowed.end(), s) == o.allowed.end()) {
    return fail(ViolationCode::kNotAllowedValue, "must be one of the allowed values");
  }
  if (o.format != Format::kNone) {
    Result<std::string> formatted = CheckFormat(s, o.format, o.url);
    if (!formatted.ok()) return fail(ViolationCode::kInvalidFormat, formatted.error().message());
    s = std::move(formatted).value();
  }
  if (impl_->pattern && !RE2::FullMatch(s, *impl_->pattern)) {
    return fail(ViolationCode::kPatternMismatch, "must match the required pattern");
  }
  *out = std::move(s);
  return true;
}

Checked<Valid<std::string>> StringRule::Check(Untrusted<std::string> input,
                                              std::string_view path) const {
  ValidationReport report;
  Result<Valid<std::string>> valid =
      Validate(std::move(input), [&](const std::string& in) -> Result<std::string> {
        std::string out;
        ViolationCode code;
        std::string message;
        if (!CheckRaw(in, &out, &code, &message)) {
          report.Add(std::string(path), code, message);
          return Error(ErrorCode::kInvalidArgument, std::move(message));
        }
        return out;
      });
  if (!valid.ok()) return Checked<Valid<std::string>>::Failure(std::move(report));
  return Checked<Valid<std::string>>::Success(std::move(valid).value());
}

}  // namespace bulwark::validate
