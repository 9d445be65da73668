#include "exchange.h"

#include <algorithm>
#include <chrono>

#include "bulwark/core/check.h"
#include "bulwark/crypto/random.h"
#include "bulwark/http/builtin.h"
#include "bulwark/http/router.h"
#include "operator_log.h"
#include "util.h"

namespace bulwark::http::internal {

std::string NewRequestId() { return RandomToken128(); }

std::string NormalizeIp(std::string ip) {
  constexpr std::string_view kMapped = "::ffff:";
  if (ip.size() > kMapped.size() && std::string_view(ip).substr(0, kMapped.size()) == kMapped &&
      ip.find('.') != std::string::npos) {
    return ip.substr(kMapped.size());
  }
  return ip;
}

void ServeRequest(const App& app, const ServerLimits& limits, const PeerInfo& peer,
                  Request&& request, bool request_keep_alive, bool allow_keep_alive,
                  const std::atomic<bool>* stopping, bool& keep_alive, Served& served) {
  RequestContext& ctx = request.context();
  ctx.peer_ip = peer.ip;
  ctx.peer_port = peer.port;
  ctx.client_ip = peer.ip;
  ctx.secure = peer.tls;
  ctx.start = std::chrono::steady_clock::now();
  ctx.deadline = ctx.start + limits.handler_timeout;
  Method method = request.method();
  Response response = app.Handle(request);
  if (std::chrono::steady_clock::now() > ctx.deadline) {
    // The handler overran its time. Its answer may be stale or partial;
    // refuse it and close, so the client retries elsewhere.
    LogError("handler exceeded handler_timeout; answered 503", ctx.request_id,
             ctx.route != nullptr ? std::string_view(ctx.route->pattern) : std::string_view());
    response = ServerProblem(app, 503, ctx.request_id, ctx.secure);
  }
  // Checked once here; the serializer's own check is for the replacement.
  const bool sendable = Http1Connection::Sendable(response);
  if (!sendable) {
    // A handler put something unsendable into a header (CR/LF from input, a
    // bad name) or a bad status: a generic 500 instead, with the headers
    // every response carries (Serialize's own fallback is the last resort).
    LogError("response not sendable (bad status or header); answered 500", ctx.request_id);
    response = ServerProblem(app, 500, ctx.request_id, ctx.secure);
  }
  served.delay = std::chrono::milliseconds(0);
  if (stopping != nullptr && stopping->load(std::memory_order_relaxed)) {
    allow_keep_alive = false;
  } else {
    served.delay = std::min(response.delay(), limits.max_response_delay);
  }
  if (sendable) {
    Http1Connection::SerializeSendable(response, method, request_keep_alive && allow_keep_alive, keep_alive,
                                       served.bytes);
  } else {
    Http1Connection::Serialize(response, method, request_keep_alive && allow_keep_alive, keep_alive,
                               served.bytes);
  }
}

void AddServerHeaders(const App& app, bool secure, Response& response) {
  std::shared_ptr<const SecurityHeaders> headers = app.chain().Get<SecurityHeaders>();
  if (headers == nullptr) {
    static const std::shared_ptr<const SecurityHeaders> kFallback = [] {
      SecurityHeadersOptions o;
      o.hsts.enabled = false;
      Result<std::shared_ptr<const SecurityHeaders>> m = SecurityHeaders::Create(std::move(o));
      BULWARK_CHECK(m.ok());  // the defaults are valid
      return std::move(m).value();
    }();
    headers = kFallback;
  }
  headers->AddToServerResponse(response, secure);
}

Response ServerProblem(const App& app, int status, std::string_view request_id, bool secure) {
  Response response = Response::Problem(status, request_id);
  if (!request_id.empty()) response.SetHeader("X-Request-Id", request_id);
  // An error, not content: never cached, and the body is data only.
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  AddServerHeaders(app, secure, response);
  response.set_close(true);
  return response;
}

std::string RejectRequest(const App& app, int status, bool secure) {
  Response response = ServerProblem(app, status, NewRequestId(), secure);
  bool keep_alive = false;
  std::string out;
  Http1Connection::Serialize(response, Method::kGet, false, keep_alive, out);
  return out;
}

}  // namespace bulwark::http::internal
