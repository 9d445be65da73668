#include "bulwark/net/policy.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <charconv>
#include <utility>

namespace bulwark::net {
namespace {

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}
Error Denied(std::string message) {
  return Error(ErrorCode::kPermissionDenied, std::move(message));
}

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Validates an LDH(+underscore) host name and returns it in canonical form:
// lower case, one trailing dot removed.
Result<std::string> CanonicalHostName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Invalid("URL host is empty");
  if (name.size() > 253) return Invalid("URL host is too long");
  std::string out;
  out.reserve(name.size());
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return Invalid("URL host has an empty label");
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_') {
      if (++label > 63) return Invalid("URL host label is too long");
    } else {
      return Invalid("URL host has a character outside letters, digits, '-', '_' and '.'");
    }
    out.push_back(Lower(c));
  }
  if (label == 0) return Invalid("URL host has an empty label");
  return out;
}

bool IsDefaultPort(std::string_view scheme, std::uint16_t port) noexcept {
  return (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
}

}  // namespace

Result<Url> Url::Parse(std::string_view text) {
  if (text.size() > kMaxUrlLength) return Invalid("URL is too long");
  auto parsed = boost::urls::parse_uri(boost::urls::string_view(text.data(), text.size()));
  if (!parsed) return Invalid("URL is malformed");
  // Judged before normalization, which would decode "%61" in a host name.
  if (parsed->encoded_host().find('%') != boost::urls::pct_string_view::npos) {
    return Invalid("URL host must not be percent-encoded");
  }
  boost::urls::url u(*parsed);
  u.normalize();
  Url out;

  std::string scheme(u.scheme());
  if (scheme != "https" && scheme != "http") return Invalid("URL scheme must be https or http");
  out.scheme_ = std::move(scheme);

  if (!u.has_authority()) return Invalid("URL has no host");
  if (u.has_userinfo()) return Invalid("URL must not contain credentials");

  switch (u.host_type()) {
    case boost::urls::host_type::ipv4: {
      auto b = u.host_ipv4_address().to_bytes();
      out.address_ = IpAddress::V4({b[0], b[1], b[2], b[3]});
      break;
    }
    case boost::urls::host_type::ipv6: {
      auto b = u.host_ipv6_address().to_bytes();
      std::array<std::uint8_t, 16> bytes{};
      std::copy(b.begin(), b.end(), bytes.begin());
      out.address_ = IpAddress::V6(bytes);
      break;
    }
    case boost::urls::host_type::name: {
      std::string_view encoded(u.encoded_host().data(), u.encoded_host().size());
      BULWARK_ASSIGN_OR_RETURN(std::string name, CanonicalHostName(encoded));
      LegacyIpv4 numeric = ParseLegacyIpv4(name);
      if (numeric.kind == NumericHost::kInvalid) {
        return Invalid("URL host ends in a number but is not an IPv4 address");
      }
      if (numeric.kind == NumericHost::kAddress) {
        out.address_ = numeric.address;
      } else {
        out.host_ = std::move(name);
      }
      break;
    }
    default:
      return Invalid("URL host type is not supported");
  }
  if (out.address_) out.host_ = out.address_->ToString();

  out.port_ = out.scheme_ == "https" ? 443 : 80;
  if (u.has_port() && !u.port().empty()) {
    std::string_view p(u.port().data(), u.port().size());
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc() || ptr != p.data() + p.size() || value == 0 || value > 65535) {
      return Invalid("URL port is out of range");
    }
    out.port_ = static_cast<std::uint16_t>(value);
  }

  std::string_view path(u.encoded_path().data(), u.encoded_path().size());
  out.target_ = path.empty() ? "/" : std::string(path);
  if (out.target_.front() != '/') return Invalid("URL path is malformed");
  if (u.has_query()) {
    out.target_ += '?';
    out.target_.append(u.encoded_query().data(), u.encoded_query().size());
  }
  return out;
}

Result<Url> Url::Resolve(std::string_view reference) const {
  if (reference.size() > kMaxUrlLength) return Invalid("URL is too long");
  auto ref = boost::urls::parse_uri_reference(
      boost::urls::string_view(reference.data(), reference.size()));
  if (!ref) return Invalid("redirect location is malformed");
  boost::urls::url base(ToString());
  auto resolved = base.resolve(*ref);
  if (!resolved) return Invalid("redirect location cannot be resolved");
  std::string_view text(base.buffer().data(), base.buffer().size());
  return Parse(text);
}

std::string Url::Origin() const {
  std::string out = scheme_ + "://";
  if (address_ && !address_->is_v4()) {
    out += '[' + host_ + ']';
  } else {
    out += host_;
  }
  if (!IsDefaultPort(scheme_, port_)) out += ':' + std::to_string(port_);
  return out;
}

std::string Url::ToString() const { return Origin() + target_; }

Result<DestinationPolicy> DestinationPolicy::Create(DestinationPolicyOptions options) {
  for (auto& host : options.allowed_hosts) {
    if (auto ip = IpAddress::Parse(host); ip.ok()) {
      host = ip->ToString();
      continue;
    }
    BULWARK_ASSIGN_OR_RETURN(host, CanonicalHostName(host));
  }
  for (auto& suffix : options.allowed_host_suffixes) {
    std::string_view s = suffix;
    if (!s.empty() && s.front() == '.') s.remove_prefix(1);
    BULWARK_ASSIGN_OR_RETURN(suffix, CanonicalHostName(s));
  }
  for (std::uint16_t port : options.allowed_ports) {
    if (port == 0) return Invalid("allowed port 0 is not a port");
  }
  std::vector<IpNetwork> networks;
  for (const auto& cidr : options.unsafe_allowed_networks) {
    BULWARK_ASSIGN_OR_RETURN(IpNetwork network, IpNetwork::Parse(cidr));
    networks.push_back(network);
  }
  return DestinationPolicy(std::move(options), std::move(networks));
}

Result<Url> DestinationPolicy::CheckUrl(std::string_view text) const {
  BULWARK_ASSIGN_OR_RETURN(Url url, Url::Parse(text));
  BULWARK_RETURN_IF_ERROR(CheckUrl(url));
  return url;
}

Result<void> DestinationPolicy::CheckUrl(const Url& url) const {
  if (url.scheme() == "http" && !options_.allow_http) {
    return Denied("plain http is not allowed by the outbound policy");
  }
  const auto& ports = options_.allowed_ports;
  bool port_ok = ports.empty()
                     ? IsDefaultPort(url.scheme(), url.port())
                     : std::find(ports.begin(), ports.end(), url.port()) != ports.end();
  if (!port_ok) return Denied("port is not allowed by the outbound policy");

  const auto& hosts = options_.allowed_hosts;
  const auto& suffixes = options_.allowed_host_suffixes;
  if (!hosts.empty() || !suffixes.empty()) {
    bool host_ok = std::find(hosts.begin(), hosts.end(), url.host()) != hosts.end();
    if (!host_ok && !url.host_address()) {
      for (const auto& suffix : suffixes) {
        const std::string& h = url.host();
        if (h.size() > suffix.size() && h.ends_with(suffix) &&
            h[h.size() - suffix.size() - 1] == '.') {
          host_ok = true;
          break;
        }
      }
    }
    if (!host_ok) return Denied("host is not allowed by the outbound policy");
  }
  if (url.host_address()) {
    if (!options_.allow_ip_literal_hosts) {
      return Denied("IP-address hosts are not allowed by the outbound policy");
    }
    BULWARK_RETURN_IF_ERROR(CheckAddress(*url.host_address()));
  }
  return Ok();
}

Result<Valid<std::string>> DestinationPolicy::ValidateUrl(Untrusted<std::string> url) const {
  return Validate(std::move(url), [this](const std::string& text) -> Result<std::string> {
    BULWARK_ASSIGN_OR_RETURN(Url parsed, CheckUrl(std::string_view(text)));
    return parsed.ToString();
  });
}

bool DestinationPolicy::IsAddressAllowed(const IpAddress& address) const noexcept {
  for (const auto& network : networks_) {
    if (network.Contains(address)) return true;
  }
  return Classify(address) == AddressClass::kPublic;
}

Result<void> DestinationPolicy::CheckAddress(const IpAddress& address) const {
  if (IsAddressAllowed(address)) return Ok();
  return Denied("destination address is not allowed by the outbound policy (" +
                std::string(AddressClassName(Classify(address))) + ")");
}

}  // namespace bulwark::net
