#include "bulwark/http/app.h"

#include <exception>

#include "operator_log.h"

namespace bulwark::http {

App::App(Router router, Chain chain) : router_(std::move(router)), chain_(std::move(chain)) {
  terminal_ = [this](Request& request) { return Dispatch(request); };
  for (const auto& d : chain_.disabled()) {
    internal::LogWarning("protection disabled", d);
  }
}

Response App::Dispatch(Request& request) const {
  const Route* route = request.context().route;
  if (route != nullptr) return route->handler(request);
  // No handler: repeat the match for the Allow list (cheap, and only on
  // the error path).
  Router::Match m = router_.Find(request.method(), request.path());
  switch (m.kind) {
    case Router::Match::Kind::kAutoOptions: {
      Response r(204);
      r.SetHeader("Allow", m.allow);
      return r;
    }
    case Router::Match::Kind::kMethodNotAllowed: {
      Response r = Response::Problem(405, request.context().request_id);
      r.SetHeader("Allow", m.allow);
      return r;
    }
    default:
      return Response::Problem(404, request.context().request_id);
  }
}

std::size_t App::BodyLimitFor(Method method, std::string_view path) const {
  Router::Match m = router_.Find(method, path);
  return m.kind == Router::Match::Kind::kFound ? m.route->options.max_body_bytes : 0;
}

Response App::Handle(Request& request) const {
  try {
    Router::Match m = router_.Find(request.method(), request.path());
    if (m.kind == Router::Match::Kind::kFound) {
      request.context().route = m.route;
      request.set_path_params(std::move(m.params));
    } else {
      request.context().route = nullptr;
    }
    return chain_.Run(request, terminal_);
  } catch (const std::exception& e) {
    internal::LogError("unhandled exception in request", request.context().request_id, e.what());
  } catch (...) {
    internal::LogError("unhandled non-standard exception in request", request.context().request_id);
  }
  Response r = Response::Problem(500, request.context().request_id);
  if (!request.context().request_id.empty()) r.SetHeader("X-Request-Id", request.context().request_id);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace bulwark::http
