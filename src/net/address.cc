#include "bulwark/net/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace bulwark::net {
namespace {

bool InV4(const std::uint8_t* b, std::uint8_t a0, std::uint8_t a1, std::uint8_t a2,
          std::uint8_t a3, int prefix) noexcept {
  const std::uint32_t addr = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                             (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
  const std::uint32_t net = (std::uint32_t{a0} << 24) | (std::uint32_t{a1} << 16) |
                            (std::uint32_t{a2} << 8) | std::uint32_t{a3};
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (addr & mask) == (net & mask);
}

bool PrefixMatch(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                 int prefix) noexcept {
  int full = prefix / 8;
  for (int i = 0; i < full; ++i) {
    if (a[static_cast<std::size_t>(i)] != b[static_cast<std::size_t>(i)]) return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[static_cast<std::size_t>(full)] & mask) == (b[static_cast<std::size_t>(full)] & mask);
}

AddressClass ClassifyV4(const std::uint8_t* b) noexcept {
  if (InV4(b, 0, 0, 0, 0, 32)) return AddressClass::kUnspecified;
  if (InV4(b, 255, 255, 255, 255, 32)) return AddressClass::kBroadcast;
  if (InV4(b, 127, 0, 0, 0, 8)) return AddressClass::kLoopback;
  if (InV4(b, 10, 0, 0, 0, 8) || InV4(b, 172, 16, 0, 0, 12) || InV4(b, 192, 168, 0, 0, 16)) {
    return AddressClass::kPrivate;
  }
  if (InV4(b, 169, 254, 0, 0, 16)) return AddressClass::kLinkLocal;
  if (InV4(b, 100, 64, 0, 0, 10)) return AddressClass::kSharedAddress;
  if (InV4(b, 224, 0, 0, 0, 4)) return AddressClass::kMulticast;
  if (InV4(b, 0, 0, 0, 0, 8) ||        // "this network"
      InV4(b, 192, 0, 0, 0, 24) ||     // IETF protocol assignments
      InV4(b, 192, 0, 2, 0, 24) ||     // TEST-NET-1
      InV4(b, 192, 88, 99, 0, 24) ||   // 6to4 relay anycast (deprecated)
      InV4(b, 198, 18, 0, 0, 15) ||    // benchmarking
      InV4(b, 198, 51, 100, 0, 24) ||  // TEST-NET-2
      InV4(b, 203, 0, 113, 0, 24) ||   // TEST-NET-3
      InV4(b, 240, 0, 0, 0, 4)) {      // future use
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

struct V6Block {
  std::array<std::uint8_t, 16> prefix;
  int length;
  AddressClass cls;
};

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses one inet_aton part; false if it is not a number or overflows 2^32.
bool ParseLegacyPart(std::string_view part, std::uint64_t& out) noexcept {
  if (part.empty()) return false;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
    if (part.empty()) {  // "0x" is zero, as in inet_aton and WHATWG
      out = 0;
      return true;
    }
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : part) {
    int d = HexValue(c);
    if (d < 0 || d >= base) return false;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (value > 0xFFFFFFFFull) return false;
  }
  out = value;
  return true;
}

bool LooksNumeric(std::string_view label) noexcept {
  if (label.empty()) return false;
  if (label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
    for (char c : label.substr(2)) {
      if (HexValue(c) < 0) return false;
    }
    return true;
  }
  for (char c : label) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

IpAddress IpAddress::V4(std::array<std::uint8_t, 4> bytes) noexcept {
  IpAddress a;
  std::memcpy(a.bytes_.data(), bytes.data(), 4);
  a.v4_ = true;
  return a;
}

IpAddress IpAddress::V6(std::array<std::uint8_t, 16> bytes) noexcept {
  IpAddress a;
  a.bytes_ = bytes;
  a.v4_ = false;
  return a;
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > 45) {
    return Error(ErrorCode::kInvalidArgument, "not an IP address");
  }
  std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
      return V4({buf[0], buf[1], buf[2], buf[3]});
    }
  } else if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    return V6(buf);
  }
  return Error(ErrorCode::kInvalidArgument, "not an IP address");
}

std::string IpAddress::ToString() const {
  char out[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4_ ? AF_INET : AF_INET6, bytes_.data(), out, sizeof(out));
  return out;
}

std::optional<IpAddress> IpAddress::EmbeddedIpv4() const noexcept {
  if (v4_) return std::nullopt;
  const auto& b = bytes_;
  auto tail = [&](std::size_t at) { return V4({b[at], b[at + 1], b[at + 2], b[at + 3]}); };
  bool first80_zero = true;
  for (std::size_t i = 0; i < 10; ++i) first80_zero = first80_zero && b[i] == 0;
  if (first80_zero && b[10] == 0xFF && b[11] == 0xFF) return tail(12);  // ::ffff:a.b.c.d
  if (first80_zero && b[10] == 0 && b[11] == 0) {                        // ::a.b.c.d
    bool high_zero = b[12] == 0 && b[13] == 0 && b[14] == 0;
    if (high_zero && (b[15] == 0 || b[15] == 1)) return std::nullopt;  // :: and ::1
    return tail(12);
  }
  // NAT64 well-known prefix 64:ff9b::/96.
  static constexpr std::array<std::uint8_t, 12> kNat64 = {0x00, 0x64, 0xff, 0x9b, 0, 0,
                                                          0,    0,    0,    0,    0, 0};
  if (std::memcmp(b.data(), kNat64.data(), kNat64.size()) == 0) return tail(12);
  if (b[0] == 0x20 && b[1] == 0x02) return tail(2);  // 6to4 2002:V4ADDR::/48
  return std::nullopt;
}

Result<IpNetwork> IpNetwork::Parse(std::string_view cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument, "network must be address/prefix");
  }
  BULWARK_ASSIGN_OR_RETURN(IpAddress base, IpAddress::Parse(cidr.substr(0, slash)));
  std::string_view len_text = cidr.substr(slash + 1);
  int prefix = -1;
  auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), prefix);
  int max = base.is_v4() ? 32 : 128;
  if (ec != std::errc() || ptr != len_text.data() + len_text.size() || prefix < 0 ||
      prefix > max || len_text.empty() || (len_text.size() > 1 && len_text[0] == '0')) {
    return Error(ErrorCode::kInvalidArgument, "bad network prefix length");
  }
  auto bytes = base.bytes();
  for (int bit = prefix; bit < max; ++bit) {
    if (bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8))) {
      return Error(ErrorCode::kInvalidArgument, "network has host bits set");
    }
  }
  return IpNetwork(base, prefix);
}

bool IpNetwork::Contains(const IpAddress& address) const noexcept {
  if (base_.is_v4()) {
    IpAddress a = address;
    if (!a.is_v4()) {
      auto b = a.bytes();
      bool mapped = true;
      for (std::size_t i = 0; i < 10; ++i) mapped = mapped && b[i] == 0;
      mapped = mapped && b[10] == 0xFF && b[11] == 0xFF;
      if (!mapped) return false;
      a = IpAddress::V4({b[12], b[13], b[14], b[15]});
    }
    return PrefixMatch(a.bytes(), base_.bytes(), prefix_);
  }
  if (address.is_v4()) return false;
  return PrefixMatch(address.bytes(), base_.bytes(), prefix_);
}

std::string IpNetwork::ToString() const {
  return base_.ToString() + "/" + std::to_string(prefix_);
}

std::string_view AddressClassName(AddressClass c) noexcept {
  switch (c) {
    case AddressClass::kPublic: return "public";
    case AddressClass::kUnspecified: return "unspecified";
    case AddressClass::kLoopback: return "loopback";
    case AddressClass::kPrivate: return "private";
    case AddressClass::kUniqueLocal: return "unique_local";
    case AddressClass::kLinkLocal: return "link_local";
    case AddressClass::kSharedAddress: return "shared_address";
    case AddressClass::kMulticast: return "multicast";
    case AddressClass::kBroadcast: return "broadcast";
    case AddressClass::kReserved: return "reserved";
  }
  return "reserved";
}

AddressClass Classify(const IpAddress& address) noexcept {
  auto b = address.bytes();
  if (address.is_v4()) return ClassifyV4(b.data());

  if (auto v4 = address.EmbeddedIpv4()) {
    AddressClass inner = ClassifyV4(v4->bytes().data());
    // 6to4 and NAT64 of a public address are public; everything else keeps
    // the class of the address it carries.
    return inner;
  }
  static const V6Block kBlocks[] = {
      {{}, 128, AddressClass::kUnspecified},                                     // ::
      {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, AddressClass::kLoopback},
      {{0xfe, 0x80}, 10, AddressClass::kLinkLocal},
      {{0xfc}, 7, AddressClass::kUniqueLocal},
      {{0xff}, 8, AddressClass::kMulticast},
      {{0xfe, 0xc0}, 10, AddressClass::kReserved},              // site-local (deprecated)
      {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, AddressClass::kReserved},  // NAT64 local use
      {{0x01}, 64, AddressClass::kReserved},                    // 100::/64 discard
      {{0x20, 0x01, 0x0d, 0xb8}, 32, AddressClass::kReserved},  // documentation
      {{0x3f, 0xff}, 20, AddressClass::kReserved},              // documentation (RFC 9637)
      {{0x20, 0x01, 0x00}, 23, AddressClass::kReserved},        // IETF protocol, Teredo
      {{0x20, 0x01, 0x00, 0x02}, 48, AddressClass::kReserved},  // benchmarking
  };
  for (const auto& block : kBlocks) {
    if (PrefixMatch(b, block.prefix, block.length)) return block.cls;
  }
  // Only 2000::/3 is global unicast.
  if ((b[0] & 0xE0) == 0x20) return AddressClass::kPublic;
  return AddressClass::kReserved;
}

LegacyIpv4 ParseLegacyIpv4(std::string_view host) noexcept {
  LegacyIpv4 result;
  auto last_dot = host.rfind('.');
  std::string_view last = last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
  if (!LooksNumeric(last)) return result;
  result.kind = NumericHost::kInvalid;
  std::uint64_t parts[4] = {};
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    if (count == 4) return result;
    auto dot = host.find('.', start);
    std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!ParseLegacyPart(part, parts[count])) return result;
    ++count;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 255) return result;
  }
  const std::uint64_t last_max = count == 1 ? 0xFFFFFFFFull : (1ull << (8 * (5 - count))) - 1;
  if (parts[count - 1] > last_max) return result;
  std::uint32_t value = static_cast<std::uint32_t>(parts[count - 1]);
  for (std::size_t i = 0; i + 1 < count; ++i) {
    value |= static_cast<std::uint32_t>(parts[i]) << (8 * (3 - i));
  }
  result.kind = NumericHost::kAddress;
  result.address = IpAddress::V4({static_cast<std::uint8_t>(value >> 24),
                                  static_cast<std::uint8_t>(value >> 16),
                                  static_cast<std::uint8_t>(value >> 8),
                                  static_cast<std::uint8_t>(value)});
  return result;
}

}  // namespace bulwark::net
