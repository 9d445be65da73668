// Outbound URL policy parser: never crashes, the canonical form is a fixed
// point (parsing it again gives the same URL), and an accepted URL's host
// never denotes a non-public address unless it is an allowed network.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/net/address.h"
#include "bulwark/net/policy.h"

using bulwark::net::DestinationPolicy;
using bulwark::net::IpAddress;
using bulwark::net::Url;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto url = Url::Parse(text); url.ok()) {
    auto again = Url::Parse(url->ToString());
    if (!again.ok() || !(*again == *url)) std::abort();
    if (url->host_address() && url->host() != url->host_address()->ToString()) std::abort();
    (void)url->Resolve(text);
  }
  static const DestinationPolicy policy =
      DestinationPolicy::Create({.allow_http = true, .allow_ip_literal_hosts = true}).value();
  if (auto url = policy.CheckUrl(text); url.ok()) {
    if (url->host_address() &&
        bulwark::net::Classify(*url->host_address()) != bulwark::net::AddressClass::kPublic) {
      std::abort();
    }
  }
  if (auto ip = IpAddress::Parse(text); ip.ok()) {
    auto again = IpAddress::Parse(ip->ToString());
    if (!again.ok() || !(*again == *ip)) std::abort();
    (void)bulwark::net::Classify(*ip);
  }
  (void)bulwark::net::ParseLegacyIpv4(text);
  return 0;
}
