#include <cxxabi.h>

#include <cstdlib>

#include "bulwark/core/check.h"
#include "bulwark/http/middleware.h"

namespace bulwark::http {

Response Next::operator()(Request& request) const {
  if (index_ < chain_->entries_.size()) {
    Next rest(chain_, index_ + 1, terminal_);
    return chain_->entries_[index_].middleware->Handle(request, rest);
  }
  return (*terminal_)(request);
}

Response Chain::Run(Request& request, const std::function<Response(Request&)>& terminal) const {
  Next first(this, 0, &terminal);
  return first(request);
}

Chain& Chain::UseImpl(std::type_index type, std::shared_ptr<const Middleware> middleware) {
  BULWARK_CHECK(middleware != nullptr);
  for (auto& e : entries_) {
    if (e.type == type) {
      e.middleware = std::move(middleware);
      return *this;
    }
  }
  entries_.push_back(Entry{type, std::move(middleware)});
  return *this;
}

Chain& Chain::WithoutImpl(std::type_index type, const char* name, Reason reason) {
  BULWARK_CHECK(!reason.text.empty());
  std::erase_if(entries_, [&](const Entry& e) { return e.type == type; });
  int status = 0;
  char* demangled = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string type_name = (status == 0 && demangled != nullptr) ? demangled : name;
  std::free(demangled);  // NOLINT: allocated by __cxa_demangle with malloc
  disabled_.push_back(type_name + ": " + reason.text);
  return *this;
}

std::shared_ptr<const Middleware> Chain::Find(std::type_index type) const noexcept {
  for (const auto& e : entries_) {
    if (e.type == type) return e.middleware;
  }
  return nullptr;
}

}  // namespace bulwark::http
