#include "bulwark/http/builtin.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>

#include "bulwark/crypto/random.h"
#include "bulwark/http/router.h"
#include "bulwark/validate/report.h"
#include "exchange.h"
#include "operator_log.h"
#include "util.h"

namespace bulwark::http {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

struct IpBytes {
  std::array<unsigned char, 16> b{};
  int family = 0;  // 4 or 6
};

std::optional<IpBytes> ParseIp(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  IpBytes ip;
  if (inet_pton(AF_INET, s.c_str(), ip.b.data()) == 1) {
    ip.family = 4;
    return ip;
  }
  if (inet_pton(AF_INET6, s.c_str(), ip.b.data()) == 1) {
    ip.family = 6;
    // An IPv4-mapped IPv6 address is the IPv4 address.
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.b.data(), kMapped, 12) == 0) {
      std::memmove(ip.b.data(), ip.b.data() + 12, 4);
      ip.family = 4;
    }
    return ip;
  }
  return std::nullopt;
}

bool PrefixMatch(const IpBytes& a, const IpBytes& net, int prefix) {
  if (a.family != net.family) return false;
  int full = prefix / 8;
  if (std::memcmp(a.b.data(), net.b.data(), static_cast<std::size_t>(full)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a.b[static_cast<std::size_t>(full)] & mask) == (net.b[static_cast<std::size_t>(full)] & mask);
}

// `cidr` as a network: an address, or an address and a prefix length.
std::optional<std::pair<IpBytes, int>> ParseNetwork(std::string_view cidr) {
  std::size_t slash = cidr.find('/');
  std::optional<IpBytes> ip = ParseIp(cidr.substr(0, slash));
  if (!ip) return std::nullopt;
  const int max = ip->family == 4 ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view digits = cidr.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max) return std::nullopt;
  }
  return std::make_pair(*ip, prefix);
}

bool SameFieldName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && EqualsIgnoreCase(a, b);
}

bool IsSafeHeaderValue(std::string_view v) { return !v.empty() && IsValidFieldValue(v); }

// One directive of a serialized CSP: its name (as written) and its value
// (the source list, trimmed; empty for `sandbox` alone).
struct CspDirective {
  std::string_view name, value;
};

std::string_view TrimCspSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<CspDirective> SplitCsp(std::string_view policy) {
  std::vector<CspDirective> out;
  while (!policy.empty()) {
    std::size_t semi = policy.find(';');
    std::string_view part = TrimCspSpace(policy.substr(0, semi));
    policy = semi == std::string_view::npos ? std::string_view() : policy.substr(semi + 1);
    if (part.empty()) continue;
    std::size_t gap = part.find_first_of(" \t");
    if (gap == std::string_view::npos) {
      out.push_back({part, {}});
    } else {
      out.push_back({part.substr(0, gap), TrimCspSpace(part.substr(gap))});
    }
  }
  return out;
}

// Fetch directives (`*-src`, `script-src-elem`, ...) all fall back, in the
// end, to default-src.
bool IsFetchDirective(std::string_view name) {
  for (std::string_view end : {"-src", "-src-elem", "-src-attr"}) {
    if (name.size() > end.size() && EqualsIgnoreCase(name.substr(name.size() - end.size()), end)) return true;
  }
  return false;
}

bool HasDirective(const std::vector<CspDirective>& policy, std::string_view name) {
  for (const CspDirective& d : policy) {
    if (SameFieldName(d.name, name)) return true;
  }
  return false;
}

// A handler's policy that allows nothing the default allows, whatever the
// default says: `default-src 'none'`, every other directive 'none' (fetch
// directives, base-uri, form-action, frame-ancestors) or `sandbox` with no
// allow-* tokens. Then one policy made of it plus the default's non-fetch
// directives it lacks (frame-ancestors, base-uri, form-action, report-uri,
// extras) is at least as strict as the two sent separately: every fetch
// falls back to the handler's default-src 'none'. Anything else: nullopt,
// and both policies are sent.
std::optional<std::string> MergeIntoHandlerCsp(std::string_view handler, std::string_view def) {
  std::vector<CspDirective> mine = SplitCsp(handler);
  bool default_none = false;
  for (const CspDirective& d : mine) {
    if (SameFieldName(d.name, "sandbox")) {
      if (!d.value.empty()) return std::nullopt;
      continue;
    }
    const bool known = IsFetchDirective(d.name) || SameFieldName(d.name, "base-uri") ||
                       SameFieldName(d.name, "form-action") || SameFieldName(d.name, "frame-ancestors");
    if (!known || d.value != "'none'") return std::nullopt;
    if (SameFieldName(d.name, "default-src")) default_none = true;
  }
  if (!default_none) return std::nullopt;
  std::string merged;
  for (const CspDirective& d : mine) {
    if (!merged.empty()) merged += "; ";
    merged += d.name;
    if (!d.value.empty()) merged += " " + std::string(d.value);
  }
  for (const CspDirective& d : SplitCsp(def)) {
    if (IsFetchDirective(d.name) || HasDirective(mine, d.name)) continue;
    merged += "; ";
    merged += d.name;
    if (!d.value.empty()) merged += " " + std::string(d.value);
  }
  return merged;
}

// A CSP source expression or directive name: no separators, no quotes except
// the keyword forms, no whitespace inside.
bool IsSafeCspToken(std::string_view v) {
  if (v.empty() || v.size() > 512) return false;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == ';' || c == ',') return false;
  }
  if (v.find('\'') != std::string_view::npos) {
    return v == "'self'" || v == "'none'" || v == "'unsafe-inline'" || v == "'wasm-unsafe-eval'";
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- RequestId

Result<std::shared_ptr<const RequestId>> RequestId::Create(RequestIdOptions options) {
  std::shared_ptr<RequestId> m(new RequestId(options));
  Result<HeaderBlock> field = HeaderBlock::Builder().AddWithSlot("X-Request-Id", "", "").Build();
  if (!field.ok()) return field.error();
  m->id_field_ = std::move(field).value();
  return std::shared_ptr<const RequestId>(std::move(m));
}

Response RequestId::Handle(Request& request, const Next& next) const {
  auto& id = request.context().request_id;
  static_assert(std::remove_reference_t<decltype(id)>::kCapacity >= 64);
  id.clear();
  if (options_.trust_incoming) {
    if (auto in = request.Header("x-request-id"); in && in->size() >= 8 && in->size() <= 64) {
      bool ok = true;
      for (char c : *in) ok = ok && IsIdChar(c);
      if (ok) id = *in;
    }
  }
  if (id.empty()) {
    char token[internal::kToken128Chars];
    internal::RandomToken128To(token);
    id = std::string_view(token, sizeof(token));
  }
  Response response = next(request);
  response.headers().Replace(id_field_, request.context().request_id);
  return response;
}

// ------------------------------------------------------------- ProxyHeaders

struct ProxyHeaders::Net {
  IpBytes ip;
  int prefix = 0;
};

ProxyHeaders::~ProxyHeaders() = default;

Result<std::shared_ptr<const ProxyHeaders>> ProxyHeaders::Create(ProxyOptions options) {
  std::shared_ptr<ProxyHeaders> p(new ProxyHeaders());
  for (const std::string& cidr : options.trusted_proxies) {
    std::optional<std::pair<IpBytes, int>> net = ParseNetwork(cidr);
    if (!net) return Error(ErrorCode::kInvalidArgument, "trusted proxy is not an IP or CIDR");
    p->nets_.push_back(Net{net->first, net->second});
  }
  return std::shared_ptr<const ProxyHeaders>(std::move(p));
}

bool ProxyHeaders::Trusted(std::string_view ip) const {
  std::optional<IpBytes> parsed = ParseIp(ip);
  if (!parsed) return false;
  for (const Net& n : nets_) {
    if (PrefixMatch(*parsed, n.ip, n.prefix)) return true;
  }
  return false;
}

namespace {

// The hops of X-Forwarded-For (all fields, in order), or of Forwarded "for=".
std::vector<std::string> ForwardedHops(const Request& request) {
  std::vector<std::string> hops;
  std::vector<std::string_view> xff = request.headers().All("x-forwarded-for");
  if (!xff.empty()) {
    for (std::string_view field : xff) {
      while (true) {
        std::size_t comma = field.find(',');
        hops.emplace_back(Trim(field.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        field.remove_prefix(comma + 1);
      }
    }
    return hops;
  }
  for (std::string_view field : request.headers().All("forwarded")) {
    while (true) {
      std::size_t comma = field.find(',');
      std::string_view element = field.substr(0, comma);
      std::string hop = "-";  // an element without for= breaks the chain
      while (!element.empty()) {
        std::size_t semi = element.find(';');
        std::string_view pair = Trim(element.substr(0, semi));
        if (pair.size() > 4 && EqualsIgnoreCase(pair.substr(0, 4), "for=")) {
          std::string_view v = pair.substr(4);
          if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
          if (!v.empty() && v.front() == '[') {
            std::size_t close = v.find(']');
            v = close == std::string_view::npos ? std::string_view("-") : v.substr(1, close - 1);
          } else if (std::size_t colon = v.find(':'); colon != std::string_view::npos &&
                                                      v.find(':', colon + 1) == std::string_view::npos) {
            v = v.substr(0, colon);  // IPv4 with port
          }
          hop = std::string(v);
        }
        if (semi == std::string_view::npos) break;
        element.remove_prefix(semi + 1);
      }
      hops.push_back(std::move(hop));
      if (comma == std::string_view::npos) break;
      field.remove_prefix(comma + 1);
    }
  }
  return hops;
}

}  // namespace

Response ProxyHeaders::Handle(Request& request, const Next& next) const {
  RequestContext& ctx = request.context();
  ctx.client_ip = ctx.peer_ip;
  if (!nets_.empty() && Trusted(ctx.peer_ip)) {
    std::vector<std::string> hops = ForwardedHops(request);
    std::string client = ctx.peer_ip;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      std::optional<IpBytes> ip = ParseIp(*it);
      if (!ip) break;  // garbage: keep the last trusted address
      client = *it;
      if (!Trusted(*it)) break;
    }
    if (auto normalized = IpPrefix(client, 32, 128)) {
      std::string_view n = *normalized;
      ctx.client_ip = std::string(n.substr(0, n.find('/')));
    }
    if (auto proto = request.Header("x-forwarded-proto")) {
      std::string_view p = Trim(proto->substr(proto->rfind(',') == std::string_view::npos
                                                  ? 0
                                                  : proto->rfind(',') + 1));
      ctx.secure = EqualsIgnoreCase(p, "https");
    }
  }
  return next(request);
}

std::optional<std::string> IpPrefix(std::string_view ip, int prefix4, int prefix6) {
  std::optional<IpBytes> parsed = ParseIp(ip);
  if (!parsed) return std::nullopt;
  int prefix = parsed->family == 4 ? prefix4 : prefix6;
  int max = parsed->family == 4 ? 32 : 128;
  if (prefix < 0 || prefix > max) return std::nullopt;
  std::size_t n = parsed->family == 4 ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) {
    int bits = prefix - static_cast<int>(i) * 8;
    if (bits >= 8) continue;
    if (bits <= 0) {
      parsed->b[i] = 0;
    } else {
      parsed->b[i] = static_cast<unsigned char>(parsed->b[i] & (0xFF << (8 - bits)));
    }
  }
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(parsed->family == 4 ? AF_INET : AF_INET6, parsed->b.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix);
}

// ---------------------------------------------------------- SecurityHeaders

Result<std::shared_ptr<const SecurityHeaders>> SecurityHeaders::Create(SecurityHeadersOptions o) {
  for (const std::string* v : {&o.frame_options, &o.referrer_policy, &o.permissions_policy,
                               &o.cross_origin_opener_policy, &o.cross_origin_resource_policy}) {
    if (!IsSafeHeaderValue(*v)) return Error(ErrorCode::kInvalidArgument, "unsafe security header value");
  }
  if (!o.csp.report_path.empty() && (!IsValidOriginForm(o.csp.report_path) ||
                                     o.csp.report_path.find('?') != std::string::npos)) {
    return Error(ErrorCode::kInvalidArgument, "CSP report path must be a plain path");
  }
  for (const auto& [directive, source] : o.csp.extra_sources) {
    if (!IsToken(directive) || !IsSafeCspToken(source)) {
      return Error(ErrorCode::kInvalidArgument, "unsafe CSP source");
    }
  }
  if (o.hsts.max_age.count() < 0) return Error(ErrorCode::kInvalidArgument, "negative HSTS max-age");
  std::shared_ptr<SecurityHeaders> m(new SecurityHeaders(std::move(o)));
  const auto& opt = m->options_;
  m->hsts_value_ = "max-age=" + std::to_string(opt.hsts.max_age.count());
  if (opt.hsts.include_subdomains) m->hsts_value_ += "; includeSubDomains";
  if (opt.hsts.preload) m->hsts_value_ += "; preload";
  auto extra = [&](std::string_view directive) {
    std::string out;
    for (const auto& [d, s] : opt.csp.extra_sources) {
      if (d == directive) out += " " + s;
    }
    return out;
  };
  // Nonce-based strict policy (https://csp.withgoogle.com/docs/strict-csp.html).
  m->csp_prefix_ = "default-src 'self'" + extra("default-src") + "; script-src 'nonce-";
  m->csp_suffix_ = "' 'strict-dynamic'" + extra("script-src") + "; style-src 'self'" +
                   extra("style-src") + "; img-src 'self' data:" + extra("img-src") +
                   "; connect-src 'self'" + extra("connect-src") +
                   "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'" +
                   extra("form-action");
  for (const auto& [d, s] : opt.csp.extra_sources) {
    if (d != "default-src" && d != "script-src" && d != "style-src" && d != "img-src" &&
        d != "connect-src" && d != "form-action") {
      m->csp_suffix_ += "; " + d + " " + s;
    }
  }
  if (!opt.csp.report_path.empty()) m->csp_suffix_ += "; report-uri " + opt.csp.report_path;
  // The fields, in the order they are sent, checked and serialized once.
  for (bool hsts : {false, true}) {
    for (bool no_store : {false, true}) {
      HeaderBlock::Builder b;
      if (opt.csp.enabled) {
        b.AddWithSlot(opt.csp.report_only ? "Content-Security-Policy-Report-Only"
                                          : "Content-Security-Policy",
                      m->csp_prefix_, m->csp_suffix_);
      }
      if (hsts && opt.hsts.enabled) b.Add("Strict-Transport-Security", m->hsts_value_);
      b.Add("X-Content-Type-Options", "nosniff");
      // "0" turns off the legacy XSS auditor of old browsers, which could be
      // abused to blank or probe pages; the CSP is the XSS defence.
      b.Add("X-XSS-Protection", "0");
      b.Add("X-Frame-Options", opt.frame_options);
      b.Add("Referrer-Policy", opt.referrer_policy);
      b.Add("Permissions-Policy", opt.permissions_policy);
      b.Add("Cross-Origin-Opener-Policy", opt.cross_origin_opener_policy);
      b.Add("Cross-Origin-Resource-Policy", opt.cross_origin_resource_policy);
      if (no_store) b.Add("Cache-Control", "no-store");
      Result<HeaderBlock> block = b.Build();
      if (!block.ok()) return Error(ErrorCode::kInvalidArgument, "unsafe security header value");
      m->blocks_[hsts ? 1 : 0][no_store ? 1 : 0] = std::move(block).value();
    }
  }
  return std::shared_ptr<const SecurityHeaders>(std::move(m));
}

std::string SecurityHeaders::PolicyFor(std::string_view nonce) const {
  std::string policy;
  policy.reserve(csp_prefix_.size() + nonce.size() + csp_suffix_.size());
  policy += csp_prefix_;
  policy += nonce;
  policy += csp_suffix_;
  return policy;
}

Response SecurityHeaders::HandleReport(Request& request) const {
  // Reports are attacker-writable: bounded, escaped, never echoed.
  auto ct = request.Header("content-type");
  std::string type = ct ? internal::MediaType(*ct) : std::string();
  if (type != "application/csp-report" && type != "application/reports+json" &&
      type != "application/json") {
    return Response::Problem(415, request.context().request_id);
  }
  if (request.body_size() > 16 * 1024) return Response::Problem(413, request.context().request_id);
  std::int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count();
  if (report_second_.exchange(second) != second) reports_this_second_.store(0);
  if (reports_this_second_.fetch_add(1) < kReportsPerSecond) {
    internal::LogWarning("csp violation report", request.Body().UnvalidatedValue());
  }
  return Response(204);
}

Response SecurityHeaders::Handle(Request& request, const Next& next) const {
  const CspOptions& csp = options_.csp;
  if (csp.enabled) {
    char nonce[internal::kToken128Chars];
    internal::RandomToken128To(nonce);
    request.context().csp_nonce = std::string_view(nonce, sizeof(nonce));
  } else {
    request.context().csp_nonce.clear();
  }
  // Initialized from either call directly (no moves of the response).
  Response response = csp.enabled && !csp.report_path.empty() &&
                              request.method() == Method::kPost &&
                              request.path() == csp.report_path
                          ? HandleReport(request)
                          : next(request);
  AddHeaders(response, options_.hsts.enabled && request.context().secure,
             request.context().principal != nullptr, request.context().csp_nonce);
  return response;
}

void SecurityHeaders::AddToServerResponse(Response& response, bool secure) const {
  char nonce[internal::kToken128Chars];
  std::string_view nonce_view;
  if (options_.csp.enabled) {
    internal::RandomToken128To(nonce);
    nonce_view = std::string_view(nonce, sizeof(nonce));
  }
  AddHeaders(response, options_.hsts.enabled && secure, false, nonce_view);
}

void SecurityHeaders::AddHeaders(Response& response, bool hsts, bool authenticated,
                                 std::string_view nonce) const {
  const CspOptions& csp = options_.csp;
  Headers& h = response.headers();
  // The fields this middleware owns replace any the handler set, except a
  // CSP: a policy the handler set stays. One stricter than the default in
  // every directive is merged with it into one field (below); any other
  // stays next to the default (browsers enforce every CSP field, so two
  // policies are at least as strict as either): the handler cannot loosen
  // the default either way. Server and X-Powered-By
  // never go out. The usual case (the handler set none of them) is one
  // scan of the fields.
  static constexpr std::array<std::string_view, 10> kReplaced = {
      "Strict-Transport-Security",  "X-Content-Type-Options",       "X-XSS-Protection",
      "X-Frame-Options",            "Referrer-Policy",              "Permissions-Policy",
      "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Server",
      "X-Powered-By"};
  // For each name length, which of those names have it (bit i: kReplaced[i]):
  // most handler fields are ruled out by their length alone, the rest are
  // compared only with the names of their length.
  static constexpr std::array<std::uint16_t, 64> kByLength = [] {
    std::array<std::uint16_t, 64> t{};
    for (std::size_t i = 0; i < kReplaced.size(); ++i) {
      t[kReplaced[i].size()] = static_cast<std::uint16_t>(t[kReplaced[i].size()] | (1U << i));
    }
    return t;
  }();
  constexpr std::string_view kCacheControl = "Cache-Control";
  // Strict-Transport-Security (bit 0) is this middleware's only on secure requests.
  const unsigned owned = hsts ? ~0U : ~1U;
  bool clash = false;
  bool has_cache_control = false;
  for (Headers::Field f : h.fields()) {
    if (f.name.size() >= kByLength.size()) continue;
    if (f.name.size() == kCacheControl.size() && SameFieldName(f.name, kCacheControl)) {
      has_cache_control = true;
    }
    for (unsigned c = kByLength[f.name.size()] & owned; c != 0 && !clash; c &= c - 1) {
      clash = SameFieldName(f.name, kReplaced[static_cast<std::size_t>(std::countr_zero(c))]);
    }
  }
  if (clash) {
    for (std::size_t i = hsts ? 0 : 1; i < kReplaced.size(); ++i) h.Remove(kReplaced[i]);
  }
  // Cache-Control: no-store unless an anonymous handler chose caching.
  const bool no_store = options_.no_store_by_default && (authenticated || !has_cache_control);
  if (no_store && has_cache_control) h.Remove("Cache-Control");
  // A handler policy that is stricter than the default in every directive
  // (a download's `default-src 'none'; sandbox`) becomes the one policy sent,
  // with the default's navigation directives added: one field, never looser
  // than the default (see MergeIntoHandlerCsp). Any other handler policy is
  // kept and the default joins it.
  std::optional<std::string> merged;
  if (csp.enabled && !csp.report_only && h.Count("Content-Security-Policy") == 1 &&
      h.Count("Content-Security-Policy-Report-Only") == 0) {
    merged = MergeIntoHandlerCsp(*h.Get("Content-Security-Policy"), PolicyFor(nonce));
  }
  h.Append(blocks_[hsts ? 1 : 0][no_store ? 1 : 0], nonce);
  if (merged) h.Set("Content-Security-Policy", *merged);
}

// ------------------------------------------------------------------- Errors

Result<std::shared_ptr<const Errors>> Errors::Create(ErrorsOptions) {
  return std::shared_ptr<const Errors>(new Errors());
}

Response Errors::Handle(Request& request, const Next& next) const {
  const std::string_view id = request.context().request_id;
  // Initialized from the call directly (no moves of the response).
  Response response = [&]() -> Response {
    try {
      return next(request);
    } catch (const std::exception& e) {
      internal::LogError("exception in handler", id, e.what());
    } catch (...) {
      internal::LogError("unknown exception in handler", id);
    }
    return Response(500);
  }();
  int status = response.status();
  if (status >= 500) {
    if (!response.body().empty()) {
      internal::LogError("5xx body replaced by a generic problem", id,
                         "original body bytes: " + std::to_string(response.body().size()));
    }
    Response problem = Response::Problem(status, id);
    // Keep headers that matter to clients (Retry-After, Allow), drop the rest.
    for (const char* keep : {"Retry-After", "Allow", "X-Request-Id"}) {
      if (auto v = response.headers().Get(keep)) problem.SetHeader(keep, *v);
    }
    problem.set_close(response.close());
    return problem;
  }
  if (status >= 400 && response.body().empty()) {
    Response problem = Response::Problem(status, id);
    for (const auto& f : response.headers().fields()) {
      if (!EqualsIgnoreCase(f.name, "content-type")) problem.AddHeader(f.name, f.value);
    }
    problem.set_close(response.close());
    return problem;
  }
  return response;
}

// ---------------------------------------------------------------- AccessLog

namespace {

// The default access-log sink: lines go to stdout through one buffer that
// is written out when it holds kFlushBytes, by a background thread every
// kFlushInterval, and on destruction (normal exit). A write(2) per line was
// the largest per-request cost of SecureDefaults(). A crash loses at most the
// lines of the last kFlushInterval, and about kFlushBytes at most.
class BufferedStdout {
 public:
  static constexpr std::size_t kFlushBytes = 32 * 1024;
  static constexpr std::size_t kMaxBytes = 256 * 1024;
  static constexpr std::chrono::milliseconds kFlushInterval{200};

  BufferedStdout() {
    buffer_.reserve(kFlushBytes + 4096);
    flusher_ = std::thread([this] { FlushLoop(); });
  }
  ~BufferedStdout() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    flusher_.join();
    Flush();
  }
  BufferedStdout(const BufferedStdout&) = delete;
  BufferedStdout& operator=(const BufferedStdout&) = delete;

  void Write(std::string_view line) {
    bool full = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      buffer_.append(line);
      buffer_ += '\n';
      full = buffer_.size() >= kFlushBytes;
    }
    // The writer that fills the buffer writes it out itself: memory stays
    // bounded and a slow stdout slows the servers down (back-pressure)
    // rather than growing the buffer.
    if (full) Flush();
  }

  // Writes out everything buffered so far, in order.
  void Flush() {
    std::lock_guard<std::mutex> write_lock(write_mu_);  // keeps flushes in order
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (buffer_.empty()) return;
      spare_.swap(buffer_);
    }
    std::string_view rest = spare_;
    while (!rest.empty()) {
      ssize_t n = ::write(STDOUT_FILENO, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // stdout is gone: drop the lines, as fwrite did
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    spare_.clear();
    if (spare_.capacity() > kMaxBytes) spare_.shrink_to_fit();
  }

 private:
  void FlushLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, kFlushInterval, [this] { return stop_; });
      if (stop_) break;
      if (buffer_.empty()) continue;
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  std::mutex write_mu_;  // taken before mu_
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;  // guarded by mu_
  std::string spare_;   // guarded by write_mu_
  bool stop_ = false;   // guarded by mu_
  std::thread flusher_;
};

std::mutex shared_stdout_mu;
std::weak_ptr<BufferedStdout> shared_stdout;  // guarded by shared_stdout_mu

// exit() with an App still alive (no destructors for it) still writes the
// buffered lines.
void FlushSharedStdoutAtExit() {
  std::shared_ptr<BufferedStdout> out;
  {
    std::lock_guard<std::mutex> lock(shared_stdout_mu);
    out = shared_stdout.lock();
  }
  if (out) out->Flush();
}

std::shared_ptr<BufferedStdout> SharedStdout() {
  // One buffer for every AccessLog in the process, so lines never
  // interleave mid-line; sinks hold a reference, so it outlives them all.
  static const bool registered = std::atexit(FlushSharedStdoutAtExit) == 0;
  (void)registered;
  std::lock_guard<std::mutex> lock(shared_stdout_mu);
  std::shared_ptr<BufferedStdout> out = shared_stdout.lock();
  if (!out) {
    out = std::make_shared<BufferedStdout>();
    shared_stdout = out;
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const AccessLog>> AccessLog::Create(AccessLogOptions options) {
  if (!options.sink) {
    std::shared_ptr<BufferedStdout> out = SharedStdout();
    options.sink = [out](std::string_view line) { out->Write(line); };
  }
  return std::shared_ptr<const AccessLog>(new AccessLog(std::move(options)));
}

std::string AccessLog::RedactQuery(std::string_view query) const {
  std::string out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    Result<std::string> decoded = PercentDecode(name, true);
    bool secret = false;
    if (decoded.ok()) {
      for (const auto& r : options_.redact_query_params) {
        if (EqualsIgnoreCase(*decoded, r)) secret = true;
      }
    } else {
      secret = true;  // cannot tell what it is: do not log it
    }
    if (!out.empty()) out += '&';
    if (secret && eq != std::string_view::npos) {
      out += name;
      out += "=[redacted]";
    } else if (secret) {
      out += "[redacted]";
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

Response AccessLog::Handle(Request& request, const Next& next) const {
  auto start = std::chrono::steady_clock::now();
  Method method = request.method();
  Response response = next(request);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  const RequestContext& ctx = request.context();
  std::string_view path = request.path().substr(0, 1024);
  std::string_view query = request.query();
  std::string redacted;
  if (!query.empty()) redacted = RedactQuery(query.substr(0, 2048));
  std::string_view route = ctx.route != nullptr ? std::string_view(ctx.route->pattern) : "";
  std::optional<std::string_view> ua = request.Header("user-agent");
  if (ua) ua = ua->substr(0, 256);
  // The line is written straight into a per-thread buffer that keeps its
  // size: no allocation and no per-append bookkeeping per request. The sink
  // gets a view and must not keep it (AccessLogOptions::sink). Room: every
  // escaped value at its largest (kJsonEscapeMaxGrowth per byte) plus the
  // names, punctuation and numbers (under 256 bytes).
  const std::size_t values = ctx.request_id.size() + MethodName(method).size() + path.size() +
                             redacted.size() + route.size() + ctx.client_ip.size() +
                             (ua ? ua->size() : 0);
  const std::size_t room = 256 + internal::kJsonEscapeMaxGrowth * values;
  thread_local std::string line;
  if (line.size() < room) line.resize(room);
  char* out = line.data();
  auto raw = [&out](std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    out += text.size();
  };
  // `key` is the ,"name":" prefix of the field.
  auto field = [&](std::string_view key, std::string_view value) {
    raw(key);
    out = internal::JsonEscapeTo(out, value);
    *out++ = '"';
  };
  auto number = [&](std::string_view key, long long value) {
    raw(key);
    out = std::to_chars(out, out + 24, value).ptr;
  };
  // The time stamp's digits change once a millisecond: formatted once per
  // millisecond per thread.
  struct Stamp {
    long long ms = -1;
    std::size_t size = 0;
    char text[24] = {};
  };
  thread_local Stamp stamp;
  const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (now_ms != stamp.ms) {
    stamp.ms = now_ms;
    stamp.size = static_cast<std::size_t>(
        std::to_chars(stamp.text, stamp.text + sizeof(stamp.text), now_ms).ptr - stamp.text);
  }
  raw("{\"ts_ms\":");
  raw(std::string_view(stamp.text, stamp.size));
  field(",\"request_id\":\"", ctx.request_id);
  field(",\"method\":\"", MethodName(method));
  field(",\"path\":\"", path);
  if (!query.empty()) field(",\"query\":\"", redacted);
  if (ctx.route != nullptr) field(",\"route\":\"", route);
  number(",\"status\":", response.status());
  number(",\"bytes\":", static_cast<long long>(response.body().size()));
  number(",\"duration_us\":", static_cast<long long>(micros));
  field(",\"client_ip\":\"", ctx.client_ip);
  if (ua) field(",\"user_agent\":\"", *ua);
  *out++ = '}';
  options_.sink(std::string_view(line.data(), static_cast<std::size_t>(out - line.data())));
  return response;
}

// ------------------------------------------------------------ RequestChecks

Result<std::shared_ptr<const RequestChecks>> RequestChecks::Create(RequestChecksOptions options) {
  if (options.default_max_body_bytes == 0) {
    return Error(ErrorCode::kInvalidArgument, "default_max_body_bytes must be > 0");
  }
  std::shared_ptr<RequestChecks> m(new RequestChecks(std::move(options)));
  for (Method method : m->options_.allowed_methods) m->allowed_[static_cast<std::size_t>(method)] = true;
  return std::shared_ptr<const RequestChecks>(std::move(m));
}

bool AcceptAllows(std::string_view accept, std::string_view media_type) {
  // The usual answers from API clients: exactly the type, or anything.
  if (accept == media_type || accept == "*/*") return true;
  std::string_view type = media_type.substr(0, media_type.find('/'));
  bool any_item = false;
  while (true) {
    std::size_t comma = accept.find(',');
    std::string_view item = Trim(accept.substr(0, comma));
    if (!item.empty()) {
      any_item = true;
      // The media range without parameters, compared as if lower-cased
      // (internal::MediaType without the copy).
      std::string_view range = Trim(item.substr(0, item.find(';')));
      auto lowered_equals = [](std::string_view a, std::string_view lower) {
        if (a.size() != lower.size()) return false;
        if (a == lower) return true;  // the usual case: already lower-case
        for (std::size_t i = 0; i < a.size(); ++i) {
          char c = a[i];
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
          if (c != lower[i]) return false;
        }
        return true;
      };
      bool zero = false;
      std::string_view params = item;
      std::size_t semi = params.find(';');
      while (semi != std::string_view::npos) {
        params.remove_prefix(semi + 1);
        semi = params.find(';');
        std::string_view p = Trim(params.substr(0, semi));
        if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
          std::string_view q = p.substr(2);
          zero = !q.empty();
          for (char c : q) {
            if (c != '0' && c != '.') zero = false;
          }
        }
      }
      bool matches = range == "*/*" || lowered_equals(range, media_type) ||
                     (range.size() == type.size() + 2 &&
                      lowered_equals(range.substr(0, type.size()), type) &&
                      range.substr(type.size()) == "/*");
      if (matches && !zero) return true;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return !any_item;
}

Response RequestChecks::Handle(Request& request, const Next& next) const {
  const std::string_view id = request.context().request_id;
  if (!allowed_[static_cast<std::size_t>(request.method())]) return Response::Problem(501, id);
  const Route* route = request.context().route;
  if (route == nullptr) return next(request);  // 404/405/OPTIONS: answered without a body
  const RouteOptions& ro = route->options;
  std::size_t max_body = ro.max_body_bytes > 0 ? ro.max_body_bytes : options_.default_max_body_bytes;
  if (request.body_size() > max_body) return Response::Problem(413, id);
  if (request.body_size() > 0) {
    auto ct = request.Header("content-type");
    std::string type = ct ? internal::MediaType(*ct) : std::string();
    bool ok = false;
    for (const auto& c : ro.consumes) ok = ok || c == type;
    if (!ok || request.headers().Count("content-type") != 1 || !internal::CharsetIsUtf8(*ct)) {
      return Response::Problem(415, id);
    }
    if (type == "application/json" && !ro.unsafe_skip_json_check) {
      validate::Checked<Untrusted<validate::JsonValue>> parsed =
          validate::ParseJson(request.Body().UnvalidatedValue(), options_.json_limits);
      if (!parsed.ok()) {
        const validate::ValidationReport& report = parsed.report();
        std::string body = report.ToProblemJson();
        if (!body.empty() && body.back() == '}') {
          body.pop_back();
          body += ",\"request_id\":\"";
          internal::AppendJsonEscaped(body, id);
          body += "\"}";
        }
        Response bad(report.HttpStatus());
        bad.SetBody(std::move(body), "application/problem+json");
        return bad;
      }
      request.context().json_body =
          std::make_shared<const Untrusted<validate::JsonValue>>(std::move(parsed).value());
    }
  }
  if (auto accept = request.Header("accept"); accept && !ro.produces.empty()) {
    bool ok = false;
    for (const auto& p : ro.produces) ok = ok || AcceptAllows(*accept, p);
    // problem+json error responses are always allowed to be sent.
    if (!ok) return Response::Problem(406, id);
  }
  return next(request);
}

namespace internal {

bool IsNetwork(std::string_view cidr) { return ParseNetwork(cidr).has_value(); }

bool InNetworks(std::string_view ip, const std::vector<std::string>& cidrs) {
  std::optional<IpBytes> parsed = ParseIp(ip);
  if (!parsed) return false;
  for (const std::string& cidr : cidrs) {
    std::optional<std::pair<IpBytes, int>> net = ParseNetwork(cidr);
    if (net && PrefixMatch(*parsed, net->first, net->second)) return true;
  }
  return false;
}

}  // namespace internal

}  // namespace bulwark::http
