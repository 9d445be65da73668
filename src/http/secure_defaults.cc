#include "bulwark/http/secure_defaults.h"

#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"
#include "operator_log.h"

namespace bulwark::http {
namespace {

template <class M, class Options>
Result<void> Install(Chain& chain, Options options) {
  Result<std::shared_ptr<const M>> m = M::Create(std::move(options));
  if (!m.ok()) return std::move(m).error();
  chain.Use<M>(std::move(m).value());
  return Ok();
}

}  // namespace

Result<Chain> SecureDefaults(SecureDefaultsOptions o) {
  if (!o.csrf.mac) {
    Result<crypto::Keyset> keyset = crypto::Keyset::Generate(crypto::KeyType::kHmacSha256);
    if (!keyset.ok()) return std::move(keyset).error();
    Result<crypto::Mac> mac = crypto::Mac::Create(*keyset);
    if (!mac.ok()) return std::move(mac).error();
    o.csrf.mac = std::make_shared<const crypto::Mac>(std::move(mac).value());
    internal::LogWarning(
        "CSRF key generated for this process only; configure CsrfOptions::mac to share it");
  }
  Chain chain;
  BULWARK_RETURN_IF_ERROR(Install<RequestId>(chain, std::move(o.request_id)));
  BULWARK_RETURN_IF_ERROR(Install<AccessLog>(chain, std::move(o.access_log)));
  // SecurityHeaders wraps Errors: the problem responses Errors builds for
  // 5xx answers and handler exceptions carry the same headers as the rest.
  // It decides HSTS after the inner chain ran, so ProxyHeaders (inside) has
  // already set RequestContext::secure from a trusted X-Forwarded-Proto.
  BULWARK_RETURN_IF_ERROR(Install<SecurityHeaders>(chain, std::move(o.security_headers)));
  BULWARK_RETURN_IF_ERROR(Install<Errors>(chain, std::move(o.errors)));
  BULWARK_RETURN_IF_ERROR(Install<ProxyHeaders>(chain, std::move(o.proxy)));
  BULWARK_RETURN_IF_ERROR(Install<RateLimit>(chain, std::move(o.rate_limit)));
  BULWARK_RETURN_IF_ERROR(Install<Cors>(chain, std::move(o.cors)));
  BULWARK_RETURN_IF_ERROR(Install<RequestChecks>(chain, std::move(o.request_checks)));
  BULWARK_RETURN_IF_ERROR(Install<Csrf>(chain, std::move(o.csrf)));
  return chain;
}

}  // namespace bulwark::http
