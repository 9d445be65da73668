#include "bulwark/net/address.h"

#include <gtest/gtest.h>

namespace bulwark::net {
namespace {

AddressClass ClassOf(std::string_view text) {
  Result<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.ok()) << text;
  return ip.ok() ? Classify(*ip) : AddressClass::kPublic;
}

struct ClassCase {
  const char* address;
  AddressClass expected;
};

TEST(AddressTest, ClassifiesEverySpecialRange) {
  const ClassCase cases[] = {
      {"8.8.8.8", AddressClass::kPublic},
      {"93.184.216.34", AddressClass::kPublic},
      {"100.128.0.1", AddressClass::kPublic},
      {"172.32.0.1", AddressClass::kPublic},
      {"127.0.0.1", AddressClass::kLoopback},
      {"127.255.255.254", AddressClass::kLoopback},
      {"::1", AddressClass::kLoopback},
      {"10.0.0.1", AddressClass::kPrivate},
      {"172.16.0.1", AddressClass::kPrivate},
      {"172.31.255.255", AddressClass::kPrivate},
      {"192.168.1.1", AddressClass::kPrivate},
      {"169.254.169.254", AddressClass::kLinkLocal},
      {"fe80::1", AddressClass::kLinkLocal},
      {"fd00:ec2::254", AddressClass::kUniqueLocal},
      {"fc00::1", AddressClass::kUniqueLocal},
      {"100.64.0.1", AddressClass::kSharedAddress},
      {"100.127.255.255", AddressClass::kSharedAddress},
      {"224.0.0.1", AddressClass::kMulticast},
      {"239.255.255.250", AddressClass::kMulticast},
      {"ff02::1", AddressClass::kMulticast},
      {"0.0.0.0", AddressClass::kUnspecified},
      {"::", AddressClass::kUnspecified},
      {"255.255.255.255", AddressClass::kBroadcast},
      {"0.1.2.3", AddressClass::kReserved},
      {"240.0.0.1", AddressClass::kReserved},
      {"192.0.2.1", AddressClass::kReserved},
      {"192.0.0.8", AddressClass::kReserved},
      {"198.18.0.1", AddressClass::kReserved},
      {"198.51.100.1", AddressClass::kReserved},
      {"203.0.113.1", AddressClass::kReserved},
      // IPv6 forms carrying an IPv4 address are judged by that address.
      {"::ffff:127.0.0.1", AddressClass::kLoopback},
      {"::ffff:7f00:1", AddressClass::kLoopback},
      {"::ffff:169.254.169.254", AddressClass::kLinkLocal},
      {"::ffff:10.1.2.3", AddressClass::kPrivate},
      {"::ffff:8.8.8.8", AddressClass::kPublic},
      {"::127.0.0.1", AddressClass::kLoopback},
      {"::10.0.0.1", AddressClass::kPrivate},
      {"64:ff9b::7f00:1", AddressClass::kLoopback},
      {"64:ff9b::a9fe:a9fe", AddressClass::kLinkLocal},
      {"64:ff9b::10.0.0.1", AddressClass::kPrivate},
      {"64:ff9b::808:808", AddressClass::kPublic},
      {"64:ff9b:1::1", AddressClass::kReserved},
      {"2002:7f00:1::1", AddressClass::kLoopback},
      {"2002:a9fe:a9fe::", AddressClass::kLinkLocal},
      {"::ffff:0:7f00:1", AddressClass::kReserved},
      {"2001::1", AddressClass::kReserved},       // Teredo
      {"2001:db8::1", AddressClass::kReserved},   // documentation
      {"3fff::1", AddressClass::kReserved},       // documentation (RFC 9637)
      {"fec0::1", AddressClass::kReserved},       // site-local
      {"100::1", AddressClass::kReserved},        // discard
      {"4000::1", AddressClass::kReserved},       // not global unicast
      {"2606:4700:4700::1111", AddressClass::kPublic},
      {"2a00:1450:4001::1", AddressClass::kPublic},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ClassOf(c.address), c.expected) << c.address;
  }
}

TEST(AddressTest, StrictParseRefusesLegacyAndDecoratedForms) {
  for (const char* bad : {"", "127.1", "0177.0.0.1", "01.2.3.4", "1.2.3.256", "[::1]",
                          "fe80::1%eth0", "::1 ", "1.2.3.4.5", "example.com", "0x7f.0.0.1"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).ok()) << bad;
  }
}

TEST(AddressTest, CanonicalText) {
  EXPECT_EQ(IpAddress::Parse("2001:DB8:0:0:0:0:0:1")->ToString(), "2001:db8::1");
  EXPECT_EQ(IpAddress::Parse("10.0.0.1")->ToString(), "10.0.0.1");
}

TEST(AddressTest, LegacyIpv4SpellingsAreTheAddressesTheyDenote) {
  const std::pair<const char*, const char*> cases[] = {
      {"2130706433", "127.0.0.1"},  {"0177.0.0.1", "127.0.0.1"},
      {"0x7f.1", "127.0.0.1"},      {"127.1", "127.0.0.1"},
      {"127.0.1", "127.0.0.1"},     {"0x7f000001", "127.0.0.1"},
      {"017700000001", "127.0.0.1"}, {"0x7F.0.0.0x1", "127.0.0.1"},
      {"0", "0.0.0.0"},             {"0x", "0.0.0.0"},
      {"2852039166", "169.254.169.254"}, {"0xa9.0xfe.0xa9.0xfe", "169.254.169.254"},
      {"0251.0376.0251.0376", "169.254.169.254"}, {"10.1", "10.0.0.1"},
      {"1.2.3.4", "1.2.3.4"},
  };
  for (const auto& [text, expected] : cases) {
    LegacyIpv4 r = ParseLegacyIpv4(text);
    ASSERT_EQ(r.kind, NumericHost::kAddress) << text;
    EXPECT_EQ(r.address->ToString(), expected) << text;
  }
}

TEST(AddressTest, NumericLookingHostsThatAreNoAddressAreInvalid) {
  for (const char* text : {"1.2.3.4.5", "256.0.0.1", "4294967296", "0x100000000", "08.0.0.1",
                           "1.2.65536", "example.1", "a.0x10", "1..1", "1.2.3.0x100"}) {
    EXPECT_EQ(ParseLegacyIpv4(text).kind, NumericHost::kInvalid) << text;
  }
  for (const char* text : {"example.com", "1.2.3.com", "0x7f.example", "localhost", "1a"}) {
    EXPECT_EQ(ParseLegacyIpv4(text).kind, NumericHost::kNotNumeric) << text;
  }
}

TEST(AddressTest, EmbeddedIpv4) {
  EXPECT_EQ(IpAddress::Parse("::ffff:1.2.3.4")->EmbeddedIpv4()->ToString(), "1.2.3.4");
  EXPECT_EQ(IpAddress::Parse("64:ff9b::102:304")->EmbeddedIpv4()->ToString(), "1.2.3.4");
  EXPECT_EQ(IpAddress::Parse("2002:102:304::")->EmbeddedIpv4()->ToString(), "1.2.3.4");
  EXPECT_FALSE(IpAddress::Parse("::1")->EmbeddedIpv4().has_value());
  EXPECT_FALSE(IpAddress::Parse("::")->EmbeddedIpv4().has_value());
  EXPECT_FALSE(IpAddress::Parse("1.2.3.4")->EmbeddedIpv4().has_value());
}

TEST(AddressTest, Networks) {
  auto net = IpNetwork::Parse("127.0.0.0/8");
  ASSERT_TRUE(net.ok());
  EXPECT_TRUE(net->Contains(*IpAddress::Parse("127.0.0.1")));
  EXPECT_TRUE(net->Contains(*IpAddress::Parse("::ffff:127.0.0.1")));
  EXPECT_FALSE(net->Contains(*IpAddress::Parse("128.0.0.1")));
  EXPECT_FALSE(net->Contains(*IpAddress::Parse("::1")));
  auto v6 = IpNetwork::Parse("fd00::/8");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->Contains(*IpAddress::Parse("fd12::1")));
  EXPECT_FALSE(v6->Contains(*IpAddress::Parse("fc00::1")));
  EXPECT_EQ(v6->ToString(), "fd00::/8");
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08",
                          "::/129", "x/1"}) {
    EXPECT_FALSE(IpNetwork::Parse(bad).ok()) << bad;
  }
  EXPECT_TRUE(IpNetwork::Parse("0.0.0.0/0").ok());
}

}  // namespace
}  // namespace bulwark::net
