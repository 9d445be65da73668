#include "bulwark/net/policy.h"

#include <gtest/gtest.h>

namespace bulwark::net {
namespace {

DestinationPolicy MakePolicy(DestinationPolicyOptions options = {}) {
  Result<DestinationPolicy> p = DestinationPolicy::Create(std::move(options));
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

TEST(UrlTest, CanonicalForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"HTTPS://Example.COM.:443/a/./b/../c?x=1#frag", "https://example.com/a/c?x=1"},
      {"https://example.com", "https://example.com/"},
      {"https://example.com:/", "https://example.com/"},
      {"https://example.com:8443/%7euser", "https://example.com:8443/~user"},
      {"http://example.com:80/", "http://example.com/"},
      {"http://2130706433/", "http://127.0.0.1/"},
      {"http://0177.0.0.1/", "http://127.0.0.1/"},
      {"http://0x7f.1/", "http://127.0.0.1/"},
      {"http://127.1/", "http://127.0.0.1/"},
      {"http://0x7F000001./x", "http://127.0.0.1/x"},
      {"http://[::FFFF:7f00:1]/", "http://[::ffff:127.0.0.1]/"},
      {"https://[2001:DB8::0:1]:8443/", "https://[2001:db8::1]:8443/"},
  };
  for (const auto& [in, out] : cases) {
    Result<Url> url = Url::Parse(in);
    ASSERT_TRUE(url.ok()) << in;
    EXPECT_EQ(url->ToString(), out) << in;
  }
  Result<Url> u = Url::Parse("https://API.example.com:8443/p?q");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host(), "api.example.com");
  EXPECT_EQ(u->port(), 8443);
  EXPECT_EQ(u->target(), "/p?q");
  EXPECT_EQ(u->Origin(), "https://api.example.com:8443");
  EXPECT_FALSE(u->host_address().has_value());
}

TEST(UrlTest, RefusesDangerousForms) {
  for (const char* bad : {
           "https://user:pass@example.com/", "https://user@example.com/", "https://@example.com/",
           "https://example.com@127.0.0.1/", "file:///etc/passwd", "gopher://example.com/",
           "ftp://example.com/", "dict://example.com:11211/", "ldap://example.com/",
           "javascript:alert(1)", "data:text/plain,x", "//example.com/", "/relative",
           "https:///path", "https://", "https://%31%32%37.0.0.1/", "https://exa%6dple.com/",
           "https://ex ample.com/", "https://exämple.com/", "https://1.2.3.4.5/",
           "https://256.0.0.1/", "https://example.1/", "https://example.com:0/",
           "https://example.com:65536/", "https://example.com:99999999999/",
           "https://[v1.fe]/", "https://[fe80::1%25eth0]/", "https://a..b/",
           "https://example.com\\@evil.com/", "https://example.com\r\nX: y/",
           ""}) {
    EXPECT_FALSE(Url::Parse(bad).ok()) << bad;
  }
  EXPECT_FALSE(Url::Parse(std::string(kMaxUrlLength + 1, 'a')).ok());
  EXPECT_FALSE(Url::Parse(std::string("https://example.com/\0x", 22)).ok());
  EXPECT_FALSE(Url::Parse(std::string("https://exa\0mple.com/", 21)).ok());
}

TEST(UrlTest, ErrorsDoNotEchoInput) {
  Result<Url> r = Url::Parse("https://secret-token@example.com/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().find("secret-token"), std::string::npos);
}

TEST(UrlTest, ResolvesRedirectLocations) {
  Url base = *Url::Parse("https://example.com/a/b?x");
  EXPECT_EQ(base.Resolve("c")->ToString(), "https://example.com/a/c");
  EXPECT_EQ(base.Resolve("/d")->ToString(), "https://example.com/d");
  EXPECT_EQ(base.Resolve("//other.example/e")->ToString(), "https://other.example/e");
  EXPECT_EQ(base.Resolve("http://2130706433/")->ToString(), "http://127.0.0.1/");
  EXPECT_FALSE(base.Resolve("file:///etc/passwd").ok());
  EXPECT_FALSE(base.Resolve("https://u:p@example.com/").ok());
}

TEST(PolicyTest, HttpsOnlyAndDefaultPortByDefault) {
  DestinationPolicy p = MakePolicy();
  EXPECT_TRUE(p.CheckUrl("https://example.com/").ok());
  EXPECT_EQ(p.CheckUrl("http://example.com/").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(p.CheckUrl("https://example.com:8443/").error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(p.CheckUrl("https://example.com:22/").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(p.CheckUrl("file:///etc/passwd").error().code(), ErrorCode::kInvalidArgument);

  DestinationPolicy http = MakePolicy({.allow_http = true});
  EXPECT_TRUE(http.CheckUrl("http://example.com/").ok());
  EXPECT_FALSE(http.CheckUrl("http://example.com:8080/").ok());
  DestinationPolicy ports = MakePolicy({.allowed_ports = {8443}});
  EXPECT_TRUE(ports.CheckUrl("https://example.com:8443/").ok());
  EXPECT_FALSE(ports.CheckUrl("https://example.com/").ok());
}

TEST(PolicyTest, HostAllowlists) {
  DestinationPolicy p = MakePolicy({.allowed_hosts = {"Hooks.Example.NET."},
                                    .allowed_host_suffixes = {".example.com"}});
  EXPECT_TRUE(p.CheckUrl("https://hooks.example.net/").ok());
  EXPECT_TRUE(p.CheckUrl("https://hooks.example.net./").ok());
  EXPECT_TRUE(p.CheckUrl("https://api.example.com/").ok());
  EXPECT_TRUE(p.CheckUrl("https://a.b.example.com/").ok());
  EXPECT_TRUE(p.CheckUrl("https://API.EXAMPLE.COM./").ok());
  for (const char* bad : {"https://example.com/", "https://badexample.com/",
                          "https://example.com.evil.net/", "https://api.example.com.evil/",
                          "https://x.hooks.example.net/", "https://example.net/"}) {
    EXPECT_EQ(p.CheckUrl(bad).error().code(), ErrorCode::kPermissionDenied) << bad;
  }
  EXPECT_FALSE(DestinationPolicy::Create({.allowed_hosts = {"bad host"}}).ok());
  EXPECT_FALSE(DestinationPolicy::Create({.allowed_host_suffixes = {""}}).ok());
  EXPECT_FALSE(DestinationPolicy::Create({.allowed_ports = {0}}).ok());
  EXPECT_FALSE(DestinationPolicy::Create({.unsafe_allowed_networks = {"10.0.0.1/8"}}).ok());
}

TEST(PolicyTest, IpLiteralHostsRefusedUnlessAllowed) {
  DestinationPolicy p = MakePolicy();
  EXPECT_EQ(p.CheckUrl("https://8.8.8.8/").error().code(), ErrorCode::kPermissionDenied);
  DestinationPolicy lit = MakePolicy({.allow_ip_literal_hosts = true});
  EXPECT_TRUE(lit.CheckUrl("https://8.8.8.8/").ok());
  EXPECT_TRUE(lit.CheckUrl("https://[2606:4700:4700::1111]/").ok());
}

// Every spelling of a non-public address is refused, even with IP literals
// and plain http allowed.
TEST(PolicyTest, EverySsrfAddressFormIsRefused) {
  DestinationPolicy p = MakePolicy({.allow_http = true, .allow_ip_literal_hosts = true});
  for (const char* url : {
           "http://127.0.0.1/", "http://127.0.0.2/", "http://2130706433/", "http://0177.0.0.1/",
           "http://0x7f.1/", "http://0x7f000001/", "http://017700000001/", "http://127.1/",
           "http://127.0.1/", "http://127.0.0.1./", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
           "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
           "http://[2002:7f00:1::]/", "http://169.254.169.254/latest/meta-data/",
           "http://2852039166/", "http://0xa9fea9fe/", "http://0251.0376.0251.0376/",
           "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/",
           "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://10.0.0.1/", "http://10.1/",
           "http://172.16.0.1/", "http://192.168.0.1/", "http://[::ffff:192.168.0.1]/",
           "http://[fc00::1]/", "http://100.64.0.1/", "http://224.0.0.1/", "http://[ff02::1]/",
           "http://255.255.255.255/", "http://0.0.0.0/", "http://0/", "http://[::]/",
           "http://240.0.0.1/", "http://192.0.2.1/", "http://[2001:db8::1]/", "http://[::10.0.0.1]/"}) {
    Result<Url> r = p.CheckUrl(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied) << url;
  }
}

TEST(PolicyTest, UnsafeAllowedNetworksAreExplicit) {
  DestinationPolicy p = MakePolicy(
      {.allow_ip_literal_hosts = true, .unsafe_allowed_networks = {"10.20.0.0/16"}});
  EXPECT_TRUE(p.CheckUrl("https://10.20.1.2/").ok());
  EXPECT_FALSE(p.CheckUrl("https://10.21.1.2/").ok());
  EXPECT_TRUE(p.CheckAddress(*IpAddress::Parse("10.20.0.1")).ok());
  EXPECT_TRUE(p.CheckAddress(*IpAddress::Parse("::ffff:10.20.0.1")).ok());
  EXPECT_FALSE(p.CheckAddress(*IpAddress::Parse("127.0.0.1")).ok());
}

TEST(PolicyTest, ValidateUrlGivesCanonicalText) {
  DestinationPolicy p = MakePolicy();
  auto v = p.ValidateUrl(Untrusted<std::string>("HTTPS://Hooks.Example.COM/x/../y"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value(), "https://hooks.example.com/y");
  EXPECT_FALSE(p.ValidateUrl(Untrusted<std::string>("http://hooks.example.com/")).ok());
}

}  // namespace
}  // namespace bulwark::net
