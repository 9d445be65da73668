// The outbound client cannot be configured into an unsafe state: there is no
// switch for TLS verification, and a policy exists only through Create().
#include "bulwark/net/client.h"

int main() {
#if BULWARK_CF_CASE == 0
// expect: control
  bulwark::net::ClientOptions options;
  options.max_redirects = 3;
  auto policy = bulwark::net::DestinationPolicy::Create({});
  return policy.ok() ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: has no member named .*verify_peer
  bulwark::net::ClientOptions options;
  options.verify_peer = false;  // TLS verification is always on
  return 0;
#endif
#if BULWARK_CF_CASE == 2
// expect: private within this context|no matching function
  bulwark::net::DestinationPolicy policy({}, {});  // only Create() validates options
  return 0;
#endif
#if BULWARK_CF_CASE == 3
// expect: no matching function|cannot convert
  bulwark::net::DestinationPolicy policy = bulwark::net::DestinationPolicy::Create({}).value();
  std::string raw = "https://example.com/";
  auto v = policy.ValidateUrl(raw);  // stored URLs arrive as Untrusted<std::string>
  return 0;
#endif
}
