#pragma once
// Outbound URL parsing and the destination policy that decides where an
// outbound request may go (SSRF defence).
//
// Url::Parse gives every accepted URL one canonical form: the scheme and host
// are lower case, a trailing dot on the host is dropped, legacy IPv4
// spellings (2130706433, 0177.0.0.1, 0x7f.1, 127.1) become the dotted quad
// they denote, IPv6 literals are RFC 5952 text, the default port is implied,
// dot segments are removed and percent-encoding is normalized; the fragment is
// dropped (it is never sent). Refused outright: schemes other than http and
// https, credentials (user:pass@), empty hosts, percent-encoded or non-LDH
// host names, IPvFuture, zone ids, port 0, and host names that end in a
// number but are no valid IPv4 address.
//
// DestinationPolicy decides by scheme, host (exact or suffix allowlists),
// port, and by the class of every IP address the host resolves to; the last
// check must be repeated on the address a socket actually connects to, which
// net::Client does. Everything but public unicast is refused unless the
// operator names the network in `unsafe_allowed_networks`.
//
// Thread-safety: Url and DestinationPolicy are immutable values; const
// methods may be called concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/net/address.h"

namespace bulwark::net {

// Longest URL Url::Parse accepts, in bytes.
inline constexpr std::size_t kMaxUrlLength = 8192;

class Url {
 public:
  // Errors: kInvalidArgument (the message names the rule, never the input).
  static Result<Url> Parse(std::string_view text);
  // Resolves a redirect Location (absolute or relative) against this URL and
  // parses the result. Errors: as Parse.
  Result<Url> Resolve(std::string_view reference) const;

  const std::string& scheme() const noexcept { return scheme_; }  // "https" or "http"
  // Canonical host: lower-case name, dotted-quad IPv4 or IPv6 text without
  // brackets.
  const std::string& host() const noexcept { return host_; }
  // Set when the host is an IP address (in any spelling).
  const std::optional<IpAddress>& host_address() const noexcept { return address_; }
  std::uint16_t port() const noexcept { return port_; }  // effective port
  // Origin-form request target: "/path?query", never empty.
  const std::string& target() const noexcept { return target_; }
  // "scheme://host[:port]" (default port omitted, IPv6 bracketed).
  std::string Origin() const;
  // The canonical URL: Origin() + target().
  std::string ToString() const;

  friend bool operator==(const Url&, const Url&) = default;

 private:
  Url() = default;
  std::string scheme_;
  std::string host_;
  std::optional<IpAddress> address_;
  std::uint16_t port_ = 0;
  std::string target_;
};

struct DestinationPolicyOptions {
  // Plain http is refused unless this is set (https is always allowed).
  bool allow_http = false;
  // Host allowlists, compared with the canonical host. A request is allowed
  // when the host equals an entry of `allowed_hosts` or ends with ".<suffix>"
  // for a suffix in `allowed_host_suffixes` ("example.com" allows
  // "api.example.com", not "example.com" itself nor "badexample.com"). Both
  // empty: any host (the address checks still apply).
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> allowed_host_suffixes;
  // Allowed ports. Empty: only the default port of each allowed scheme
  // (443, and 80 when allow_http).
  std::vector<std::uint16_t> allowed_ports;
  // Requests to IP-literal hosts ("https://203.0.113.7/") are refused unless
  // this is set; a real service is named.
  bool allow_ip_literal_hosts = false;
  // CIDR blocks that are allowed although they are not public, for example
  // "10.20.0.0/16" for an internal service or "127.0.0.0/8" for a test
  // server. Every entry weakens the SSRF defence: name exactly what you need.
  std::vector<std::string> unsafe_allowed_networks;
};

class DestinationPolicy {
 public:
  // Errors: kInvalidArgument for malformed entries (empty or non-LDH hosts,
  // port 0, bad CIDR).
  static Result<DestinationPolicy> Create(DestinationPolicyOptions options);

  // Parses `url` and checks scheme, host and port, and for IP-literal hosts
  // the address. Errors: kInvalidArgument (malformed), kPermissionDenied
  // (well-formed but not allowed).
  Result<Url> CheckUrl(std::string_view url) const;
  Result<void> CheckUrl(const Url& url) const;
  // For stored URLs (webhook registration): the canonical URL text.
  Result<Valid<std::string>> ValidateUrl(Untrusted<std::string> url) const;

  // The address check, applied to every DNS answer and to the address each
  // socket connects to. Errors: kPermissionDenied.
  Result<void> CheckAddress(const IpAddress& address) const;
  bool IsAddressAllowed(const IpAddress& address) const noexcept;

  bool allow_http() const noexcept { return options_.allow_http; }

 private:
  DestinationPolicy(DestinationPolicyOptions options, std::vector<IpNetwork> networks)
      : options_(std::move(options)), networks_(std::move(networks)) {}
  DestinationPolicyOptions options_;
  std::vector<IpNetwork> networks_;
};

}  // namespace bulwark::net
