#include "bulwark/http/cors.h"

#include "util.h"

namespace bulwark::http {

bool IsSerializedOrigin(std::string_view origin) noexcept {
  std::string_view rest;
  if (origin.rfind("https://", 0) == 0) {
    rest = origin.substr(8);
  } else if (origin.rfind("http://", 0) == 0) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.size() > 255) return false;
  std::size_t colon = rest.rfind(':');
  std::string_view host = rest;
  if (colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    host = rest.substr(0, colon);
    std::string_view port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (c < '0' || c > '9') return false;
    }
  }
  if (host.empty()) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '[' || c == ']' || c == ':';
    if (!ok) return false;
  }
  return true;
}

Result<std::shared_ptr<const Cors>> Cors::Create(CorsOptions options) {
  for (const auto& o : options.allowed_origins) {
    if (o == "*" || o == "null" || !IsSerializedOrigin(o)) {
      return Error(ErrorCode::kInvalidArgument,
                   "CORS origins must be exact serialized origins (no *, no null)");
    }
  }
  for (const auto& h : options.allowed_headers) {
    if (!IsToken(h)) return Error(ErrorCode::kInvalidArgument, "bad CORS header name");
  }
  for (const auto& h : options.exposed_headers) {
    if (!IsToken(h)) return Error(ErrorCode::kInvalidArgument, "bad CORS header name");
  }
  if (options.max_age.count() < 0 || options.max_age.count() > 86400) {
    return Error(ErrorCode::kInvalidArgument, "CORS max_age must be 0..86400 s");
  }
  std::shared_ptr<Cors> m(new Cors(std::move(options)));
  Result<HeaderBlock> vary = HeaderBlock::Builder().Add("Vary", "Origin").Build();
  if (!vary.ok()) return vary.error();
  m->vary_origin_ = std::move(vary).value();
  for (Method method : m->options_.allowed_methods) {
    if (!m->methods_value_.empty()) m->methods_value_ += ", ";
    m->methods_value_ += MethodName(method);
  }
  for (const auto& h : m->options_.allowed_headers) {
    if (!m->headers_value_.empty()) m->headers_value_ += ", ";
    m->headers_value_ += h;
  }
  for (const auto& h : m->options_.exposed_headers) {
    if (!m->exposed_value_.empty()) m->exposed_value_ += ", ";
    m->exposed_value_ += h;
  }
  return std::shared_ptr<const Cors>(std::move(m));
}

bool Cors::OriginAllowed(std::string_view origin) const {
  for (const auto& o : options_.allowed_origins) {
    if (o == origin) return true;
  }
  return false;
}

Response Cors::Handle(Request& request, const Next& next) const {
  auto origin_header = request.Header("origin");
  const std::string_view id = request.context().request_id;
  bool preflight = request.method() == Method::kOptions && origin_header &&
                   request.headers().Has("access-control-request-method");
  if (preflight) {
    std::string origin(*origin_header);
    Response refused = Response::Problem(403, id, "cross-origin request not allowed");
    refused.AddHeader("Vary", "Origin");
    if (request.headers().Count("origin") != 1 || !OriginAllowed(origin)) return refused;
    std::string_view wanted = *request.Header("access-control-request-method");
    bool method_ok = false;
    for (Method m : options_.allowed_methods) method_ok = method_ok || MethodName(m) == wanted;
    if (!method_ok) return refused;
    if (auto hs = request.Header("access-control-request-headers")) {
      std::string_view list = *hs;
      while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string name = internal::ToLowerAscii(list.substr(0, comma));
        std::string_view trimmed = name;
        while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
        while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
        bool ok = trimmed.empty();
        for (const auto& h : options_.allowed_headers) ok = ok || h == trimmed;
        if (!ok) return refused;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    }
    Response ok(204);
    ok.SetHeader("Access-Control-Allow-Origin", origin);
    ok.SetHeader("Access-Control-Allow-Methods", methods_value_);
    if (!headers_value_.empty()) ok.SetHeader("Access-Control-Allow-Headers", headers_value_);
    if (options_.allow_credentials) ok.SetHeader("Access-Control-Allow-Credentials", "true");
    ok.SetHeader("Access-Control-Max-Age", std::to_string(options_.max_age.count()));
    ok.AddHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return ok;
  }
  Response response = next(request);
  response.headers().Append(vary_origin_);
  if (origin_header && request.headers().Count("origin") == 1 && OriginAllowed(*origin_header)) {
    response.SetHeader("Access-Control-Allow-Origin", *origin_header);
    if (options_.allow_credentials) response.SetHeader("Access-Control-Allow-Credentials", "true");
    if (!exposed_value_.empty()) response.SetHeader("Access-Control-Expose-Headers", exposed_value_);
  }
  return response;
}

}  // namespace bulwark::http
