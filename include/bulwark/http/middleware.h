#pragma once
// Middleware and the Chain that runs it.
//
// A middleware is configured once (immutable, validated by its factory) and
// then handles every request through a const Handle(), so one instance is
// shared by all server threads. It sees the request, may answer it itself
// (a 403, a 429, a preflight), or calls next(request) and adjusts the
// response on its way out.
//
// Middleware is registered by type, never by a string name:
//
//   Chain chain = SecureDefaults(options);          // every protection on
//   chain.Without<Csrf>(Reason{"token-only API, no cookies"});
//   chain.Use<MyAudit>(std::make_shared<MyAudit>());  // appended before routing
//
// Turning a protection off takes a Reason, which is kept and logged at
// startup, so weakening is visible in code review and in the operator log.
//
// Thread-safety: build a Chain on one thread; after that Run() may be called
// concurrently. Middleware implementations must be thread-safe (const).

#include <functional>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <vector>

#include "bulwark/http/request.h"
#include "bulwark/http/response.h"

namespace bulwark::http {

class Next;

class Middleware {
 public:
  virtual ~Middleware() = default;
  // Handles `request`; calls `next(request)` to continue down the chain.
  // Must not throw; a middleware that cannot decide fails closed (an error
  // response), never open.
  virtual Response Handle(Request& request, const Next& next) const = 0;
};

// The rest of the chain, as seen by one middleware. Cheap to copy; valid only
// during the Handle() call it was passed to.
class Next {
 public:
  Response operator()(Request& request) const;

 private:
  friend class Chain;
  Next(const class Chain* chain, std::size_t index, const std::function<Response(Request&)>* terminal)
      : chain_(chain), index_(index), terminal_(terminal) {}
  const class Chain* chain_;
  std::size_t index_;
  const std::function<Response(Request&)>* terminal_;
};

// Why a protection is switched off; must be non-empty.
struct Reason {
  std::string text;
};

class Chain {
 public:
  Chain() = default;

  // Installs middleware `M`, replacing an earlier M in place (keeping its
  // position), else appending it. REQUIRES: middleware != nullptr.
  template <class M>
  Chain& Use(std::shared_ptr<const M> middleware) {
    static_assert(std::is_base_of_v<Middleware, M>, "M must derive from http::Middleware");
    return UseImpl(std::type_index(typeid(M)), std::move(middleware));
  }
  template <class M>
  Chain& Use(std::shared_ptr<M> middleware) {
    return Use<M>(std::shared_ptr<const M>(std::move(middleware)));
  }

  // Removes middleware `M`. REQUIRES: reason.text is not empty.
  template <class M>
  Chain& Without(Reason reason) {
    static_assert(std::is_base_of_v<Middleware, M>, "M must derive from http::Middleware");
    return WithoutImpl(std::type_index(typeid(M)), typeid(M).name(), std::move(reason));
  }

  template <class M>
  bool Has() const noexcept {
    return Find(std::type_index(typeid(M))) != nullptr;
  }
  // The installed M, or nullptr.
  template <class M>
  std::shared_ptr<const M> Get() const noexcept {
    return std::static_pointer_cast<const M>(Find(std::type_index(typeid(M))));
  }

  // Runs `request` through every middleware, then `terminal`.
  Response Run(Request& request, const std::function<Response(Request&)>& terminal) const;

  std::size_t size() const noexcept { return entries_.size(); }
  // "<type>: <reason>" for every protection removed with Without().
  const std::vector<std::string>& disabled() const noexcept { return disabled_; }

 private:
  friend class Next;
  struct Entry {
    std::type_index type;
    std::shared_ptr<const Middleware> middleware;
  };
  Chain& UseImpl(std::type_index type, std::shared_ptr<const Middleware> middleware);
  Chain& WithoutImpl(std::type_index type, const char* name, Reason reason);
  std::shared_ptr<const Middleware> Find(std::type_index type) const noexcept;

  std::vector<Entry> entries_;
  std::vector<std::string> disabled_;
};

}  // namespace bulwark::http
