#include "bulwark/http/csrf.h"

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"
#include "bulwark/http/cookies.h"
#include "bulwark/http/cors.h"
#include "operator_log.h"
#include "util.h"

namespace bulwark::http {
namespace {

constexpr std::string_view kContext = "bulwark-csrf-v1";

Bytes BindingData(std::string_view session_value) {
  Bytes data = ToBytes(kContext);
  data.push_back(0);
  Bytes session = ToBytes(session_value);
  data.insert(data.end(), session.begin(), session.end());
  return data;
}

// The origin part of an absolute URL ("https://a.example:8443/x" -> "https://a.example:8443").
std::string OriginOf(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::size_t path = url.find_first_of("/?#", scheme_end + 3);
  return internal::ToLowerAscii(url.substr(0, path));
}

// The value of `field` in a form-urlencoded body.
std::optional<std::string> FormField(std::string_view body, std::string_view field) {
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos) {
      Result<std::string> name = PercentDecode(pair.substr(0, eq), true);
      if (name.ok() && *name == field) {
        Result<std::string> value = PercentDecode(pair.substr(eq + 1), true);
        if (!value.ok()) return std::nullopt;
        return std::move(value).value();
      }
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const Csrf>> Csrf::Create(CsrfOptions options) {
  if (!options.mac) return Error(ErrorCode::kInvalidArgument, "CSRF needs a MAC key");
  if (!IsToken(options.session_cookie) || !IsToken(options.header_name) ||
      options.form_field.empty()) {
    return Error(ErrorCode::kInvalidArgument, "bad CSRF cookie, header or field name");
  }
  for (const auto& o : options.trusted_origins) {
    if (!IsSerializedOrigin(o)) return Error(ErrorCode::kInvalidArgument, "bad trusted origin");
  }
  return std::shared_ptr<const Csrf>(new Csrf(std::move(options)));
}

Result<std::string> Csrf::TokenFor(std::string_view session_value) const {
  Result<Bytes> tag = options_.mac->Compute(BindingData(session_value));
  if (!tag.ok()) return std::move(tag).error();
  Bytes pad = crypto::RandomBytes(tag->size());
  Bytes token = pad;
  token.reserve(pad.size() * 2);
  for (std::size_t i = 0; i < tag->size(); ++i) {
    token.push_back(static_cast<std::uint8_t>((*tag)[i] ^ pad[i]));
  }
  return Base64UrlEncode(token);
}

bool Csrf::VerifyToken(std::string_view token, std::string_view session_value) const {
  if (token.empty() || token.size() > 512) return false;
  Result<Bytes> raw = Base64UrlDecode(token);
  if (!raw.ok() || raw->empty() || raw->size() % 2 != 0) return false;
  std::size_t half = raw->size() / 2;
  Bytes tag(half);
  for (std::size_t i = 0; i < half; ++i) {
    tag[i] = static_cast<std::uint8_t>((*raw)[i] ^ (*raw)[half + i]);
  }
  return options_.mac->Verify(BindingData(session_value), tag);
}

std::string Csrf::Check(const Request& request, const std::optional<std::string>& session) const {
  bool browser_same_origin = false;
  if (auto site = request.Header("sec-fetch-site")) {
    browser_same_origin = EqualsIgnoreCase(*site, "same-origin");
    if (EqualsIgnoreCase(*site, "cross-site")) return "Sec-Fetch-Site: cross-site";
    if (EqualsIgnoreCase(*site, "same-site") && !options_.allow_same_site) {
      return "Sec-Fetch-Site: same-site";
    }
  }
  auto host = request.Header("host");
  std::string self;
  if (host) self = std::string(request.context().secure ? "https://" : "http://") + internal::ToLowerAscii(*host);
  auto allowed = [&](std::string_view origin) {
    if (!self.empty() && origin == self) return true;
    for (const auto& o : options_.trusted_origins) {
      if (o == origin) return true;
    }
    return false;
  };
  if (request.headers().Count("origin") > 1) return "several Origin headers";
  if (auto origin = request.Header("origin")) {
    // Under `Referrer-Policy: no-referrer` (SecureDefaults) browsers send
    // `Origin: null` even for same-origin form posts. Sec-Fetch-Site is set
    // by the browser alone and is "cross-site" for opaque initiators such as
    // sandboxed frames, so "null" is accepted only when it says same-origin.
    if (*origin == "null") {
      if (!browser_same_origin) return "Origin: null";
    } else if (!allowed(internal::ToLowerAscii(*origin))) {
      return "Origin not allowed";
    }
  } else if (auto referer = request.Header("referer")) {
    if (!allowed(OriginOf(*referer))) return "Referer origin not allowed";
  }
  if (session) {
    std::optional<std::string> token;
    if (auto h = request.Header(options_.header_name)) {
      token = std::string(*h);
    } else if (auto ct = request.Header("content-type");
               ct && internal::MediaType(*ct) == "application/x-www-form-urlencoded") {
      token = FormField(request.Body().UnvalidatedValue(), options_.form_field);
    }
    if (!token) return "missing CSRF token";
    if (!VerifyToken(*token, *session)) return "invalid CSRF token";
  }
  return {};
}

Response Csrf::Handle(Request& request, const Next& next) const {
  std::optional<std::string> session = FindCookie(request, options_.session_cookie);
  if (session && session->empty()) session.reset();
  if (!IsSafeMethod(request.method())) {
    std::string reason = Check(request, session);
    if (!reason.empty()) {
      internal::LogWarning("CSRF check failed", reason);
      Response refused = Response::Problem(403, request.context().request_id, "CSRF check failed");
      return refused;
    }
  }
  if (session) {
    Result<std::string> token = TokenFor(*session);
    if (!token.ok()) {
      internal::LogError("cannot compute CSRF token", request.context().request_id,
                         token.error().ToString());
      return Response::Problem(500, request.context().request_id);
    }
    request.context().csrf_token = std::move(token).value();
  }
  return next(request);
}

}  // namespace bulwark::http
