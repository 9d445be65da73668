#pragma once
// IP addresses and their classification for outbound-request (SSRF) checks.
//
// An SSRF defence must judge the address a socket is about to connect to, in
// every spelling that reaches the same host: IPv4, IPv4-mapped and
// IPv4-compatible IPv6 (::ffff:127.0.0.1, ::127.0.0.1), NAT64
// (64:ff9b::a00:1) and 6to4 (2002:7f00:1::) all carry an IPv4 address, and
// Classify() judges the carried address. Legacy IPv4 spellings that resolvers
// and URL parsers accept (2130706433, 0177.0.0.1, 0x7f.1, 127.1) are parsed
// as the addresses they are by ParseLegacyIpv4().
//
// Thread-safety: value types and pure functions; all thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::net {

class IpAddress {
 public:
  static IpAddress V4(std::array<std::uint8_t, 4> bytes) noexcept;
  static IpAddress V6(std::array<std::uint8_t, 16> bytes) noexcept;

  // Strict textual forms only: dotted-quad IPv4 with decimal octets and no
  // leading zeros, or RFC 4291 IPv6 text (no zone id, no brackets).
  // Errors: kInvalidArgument.
  static Result<IpAddress> Parse(std::string_view text);

  bool is_v4() const noexcept { return v4_; }
  // 4 bytes for IPv4, 16 for IPv6, network order.
  std::span<const std::uint8_t> bytes() const noexcept {
    return {bytes_.data(), v4_ ? std::size_t{4} : std::size_t{16}};
  }
  // Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero
  // run compressed).
  std::string ToString() const;

  // The IPv4 address carried in an IPv6 address: IPv4-mapped (::ffff:0:0/96),
  // IPv4-compatible (::/96 except :: and ::1), NAT64 (64:ff9b::/96) and 6to4
  // (2002::/16). nullopt for IPv4 addresses and other IPv6 addresses.
  std::optional<IpAddress> EmbeddedIpv4() const noexcept;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  IpAddress() = default;
  std::array<std::uint8_t, 16> bytes_{};
  bool v4_ = true;
};

// A CIDR block, "10.0.0.0/8" or "fd00::/8". Host bits must be zero.
class IpNetwork {
 public:
  // Errors: kInvalidArgument.
  static Result<IpNetwork> Parse(std::string_view cidr);
  // An IPv4 network also contains the IPv4-mapped IPv6 forms of its addresses.
  bool Contains(const IpAddress& address) const noexcept;
  std::string ToString() const;

 private:
  IpNetwork(IpAddress base, int prefix) : base_(base), prefix_(prefix) {}
  IpAddress base_;
  int prefix_;
};

enum class AddressClass : std::uint8_t {
  kPublic,         // globally routable unicast
  kUnspecified,    // 0.0.0.0, :: (Linux connects these to the local host)
  kLoopback,       // 127.0.0.0/8, ::1
  kPrivate,        // RFC 1918: 10/8, 172.16/12, 192.168/16
  kUniqueLocal,    // fc00::/7 (includes fd00:ec2::254, the EC2 metadata service)
  kLinkLocal,      // 169.254/16 (includes 169.254.169.254), fe80::/10
  kSharedAddress,  // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
  kMulticast,      // 224/4, ff00::/8
  kBroadcast,      // 255.255.255.255
  kReserved,       // everything else that is not global: 0/8, 240/4,
                   // documentation, benchmarking, IETF protocol blocks,
                   // site-local fec0::/10, Teredo, NAT64 local-use, ...
};

// Stable lower-case name ("loopback", "link_local", ...).
std::string_view AddressClassName(AddressClass c) noexcept;

// The class of `address`, judging the embedded IPv4 address of mapped,
// compatible, NAT64 and 6to4 forms.
AddressClass Classify(const IpAddress& address) noexcept;

// The outcome of reading a host name the way inet_aton(3) and the WHATWG URL
// standard do.
enum class NumericHost : std::uint8_t {
  kNotNumeric,  // an ordinary name: its last label is not a number
  kAddress,     // a legacy IPv4 spelling; the address is returned
  kInvalid,     // looks numeric (last label is a number) but is no address
};
struct LegacyIpv4 {
  NumericHost kind = NumericHost::kNotNumeric;
  std::optional<IpAddress> address;
};
// Reads 1 to 4 dot-separated parts, each decimal, octal (leading 0) or hex
// (0x), the last part filling the remaining bytes: "2130706433",
// "0177.0.0.1", "0x7f.1" and "127.1" are all 127.0.0.1. `host` has no
// trailing dot.
LegacyIpv4 ParseLegacyIpv4(std::string_view host) noexcept;

}  // namespace bulwark::net
