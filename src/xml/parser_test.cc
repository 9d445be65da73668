#include "bulwark/xml/parser.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>
#include <atomic>

namespace bulwark::xml {
namespace {

// A loopback listener that only counts connection attempts: an XXE or
// external-DTD fetch would show up here.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 8);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd_); }
  int Accepted() {
    int n = 0;
    for (int c; (c = accept(fd_, nullptr, nullptr)) >= 0; ++n) close(c);
    return n;
  }
  std::string Url(const char* path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

void ExpectRefused(const std::string& doc, ErrorCode code = ErrorCode::kInvalidArgument) {
  Result<Document> r = Parse(doc);
  ASSERT_FALSE(r.ok()) << doc.substr(0, 200);
  EXPECT_EQ(r.error().code(), code) << r.error().ToString();
}

TEST(XmlTest, ParsesOrdinaryDocuments) {
  auto r = Parse(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- comment -->\n"
      "<feed xmlns=\"urn:a\" xmlns:x=\"urn:x\" id=\"1\" x:role=\"admin\">"
      "<title>Tom &amp; Jerry &lt;3 &#x263A; &#65;</title>"
      "<x:item><![CDATA[<not-markup>]]></x:item>"
      "<?pi ignored?><empty/></feed>");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Element& root = r->root;
  EXPECT_EQ(root.name, "feed");
  EXPECT_EQ(root.namespace_uri, "urn:a");
  EXPECT_EQ(root.FindAttribute("id").value_or(""), "1");
  EXPECT_EQ(root.FindAttribute("role", "urn:x").value_or(""), "admin");
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.FindChild("title")->text, "Tom & Jerry <3 \xE2\x98\xBA A");
  const Element* item = root.FindChild("item", "urn:x");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->prefix, "x");
  EXPECT_EQ(item->text, "<not-markup>");
  EXPECT_EQ(root.FindChild("item", "urn:other"), nullptr);
}

TEST(XmlTest, ExternalEntityReadingAFileIsRefused) {
  char path[] = "/tmp/bulwark-xxe-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "TOP-SECRET-CONTENT", 18), 18);
  close(fd);
  for (const std::string& doc : std::vector<std::string>{
           "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://" + std::string(path) +
               "\">]><r>&xxe;</r>",
           "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + std::string(path) + "\">]><r>&xxe;</r>",
           "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r a=\"&xxe;\">&xxe;</r>",
           "<!DOCTYPE r [<!ENTITY xxe PUBLIC \"-//x\" \"file:///etc/passwd\">]><r>&xxe;</r>"}) {
    Result<Document> r = Parse(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message().find("TOP-SECRET"), std::string::npos);
    EXPECT_EQ(r.error().message().find(path), std::string::npos);
  }
  unlink(path);
}

TEST(XmlTest, ExternalEntitiesAndDtdsOverHttpAreNeverFetched) {
  Listener listener;
  const std::string url = listener.Url("/x");
  for (const std::string& doc : std::vector<std::string>{
           "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + url + "\">]><r>&xxe;</r>",
           "<!DOCTYPE r SYSTEM \"" + url + "\"><r/>",
           "<!DOCTYPE r PUBLIC \"-//evil//DTD\" \"" + url + "\"><r>&ent;</r>",
           // Parameter entities: the out-of-band exfiltration pattern.
           "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><r/>",
           "<!DOCTYPE r [<!ENTITY % file SYSTEM \"file:///etc/hostname\">"
           "<!ENTITY % eval \"<!ENTITY &#x25; exfil SYSTEM '" + url + "?%file;'>\">"
           "%eval; %exfil;]><r/>",
           "<!DOCTYPE r [<!ENTITY % local \"<!ENTITY x 'y'>\"> %local;]><r>&x;</r>",
       }) {
    ExpectRefused(doc);
  }
  // XInclude and stylesheet processing instructions are not processed.
  auto xi = Parse("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + url +
                  "\" parse=\"text\"/><?xml-stylesheet href=\"" + url + "\"?></r>");
  ASSERT_TRUE(xi.ok());
  ASSERT_EQ(xi->root.children.size(), 1u);
  EXPECT_EQ(xi->root.children[0].name, "include");
  EXPECT_TRUE(xi->root.text.empty());
  EXPECT_EQ(listener.Accepted(), 0);
}

TEST(XmlTest, BillionLaughsIsRefusedQuickly) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    doc += "\">";
  }
  doc += "]><lolz>&lol9;</lolz>";
  auto start = std::chrono::steady_clock::now();
  ExpectRefused(doc);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(XmlTest, QuadraticBlowupIsRefused) {
  std::string doc = "<!DOCTYPE r [<!ENTITY a \"" + std::string(50000, 'a') + "\">]><r>";
  for (int i = 0; i < 10000; ++i) doc += "&a;";
  doc += "</r>";
  ExpectRefused(doc);
}

TEST(XmlTest, EntitiesWithoutADtdAreRefused) {
  ExpectRefused("<r>&xxe;</r>");
  ExpectRefused("<r a=\"&xxe;\"/>");
  ExpectRefused("<!DOCTYPE r><r/>");  // even an empty DOCTYPE
}

TEST(XmlTest, DepthIsBounded) {
  auto nested = [](int depth) {
    std::string doc;
    for (int i = 0; i < depth; ++i) doc += "<a>";
    for (int i = 0; i < depth; ++i) doc += "</a>";
    return doc;
  };
  EXPECT_TRUE(Parse(nested(64)).ok());
  ExpectRefused(nested(65), ErrorCode::kResourceExhausted);
  ExpectRefused(nested(50000), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(Parse(nested(10), {.max_depth = 10}).ok());
  auto deep = Parse(nested(11), {.max_depth = 10});
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code(), ErrorCode::kResourceExhausted);
}

TEST(XmlTest, SizeAndCountLimits) {
  ExpectRefused("<r>" + std::string(2 << 20, 'a') + "</r>", ErrorCode::kResourceExhausted);
  std::string many = "<r>";
  for (int i = 0; i < 1500; ++i) many += "<a/>";
  many += "</r>";
  auto too_many = Parse(many, {.max_elements = 1000});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code(), ErrorCode::kResourceExhausted);
  std::string attrs = "<r";
  for (int i = 0; i < 100; ++i) attrs += " a" + std::to_string(i) + "=\"v\"";
  attrs += "/>";
  ExpectRefused(attrs, ErrorCode::kResourceExhausted);
  ExpectRefused("<" + std::string(300, 'n') + "/>", ErrorCode::kResourceExhausted);
  auto r = Parse("<r>" + std::string(100, 't') + "</r>", {.max_text_bytes = 50});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

// A namespace URI is written once but copied to every element and attribute
// in it: without charging each copy, a 60 KB document built a 2 MB tree here
// (and a 1 MB one a tree of tens of gigabytes).
TEST(XmlTest, NamespaceUriCopiesCountAgainstTheTextLimit) {
  const std::string uri(20000, 'u');
  std::string elements = "<p:r xmlns:p=\"" + uri + "\">";
  for (int i = 0; i < 100; ++i) elements += "<p:e/>";
  elements += "</p:r>";
  ExpectRefused(elements, ErrorCode::kResourceExhausted);

  std::string attributes = "<r xmlns:p=\"" + uri + "\"><e";
  for (int i = 0; i < 60; ++i) attributes += " p:a" + std::to_string(i) + "=\"\"";
  attributes += "/></r>";
  ExpectRefused(attributes, ErrorCode::kResourceExhausted);

  // Within the budget the same shapes parse, URIs intact.
  auto small = Parse("<p:r xmlns:p=\"urn:x\"><p:e p:a=\"1\"/></p:r>", {.max_text_bytes = 16});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->root.children.at(0).attributes.at(0).namespace_uri, "urn:x");
}

TEST(XmlTest, MalformedDocumentsAreRefusedWithoutEchoingInput) {
  for (const char* doc : {"", "plain text", "<r>", "<r></s>", "<a/><b/>", "<r a=1/>",
                          "<r>\x01</r>", "<r>\xC0\xAE</r>", "<x:r/>", "<r a=\"1\" a=\"2\"/>"}) {
    Result<Document> r = Parse(doc);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << doc;
  }
  Result<Document> r = Parse("<r><secret-tag-name></r>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().find("secret-tag-name"), std::string::npos);
}

TEST(XmlTest, ConcurrentParsing) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&ok] {
      for (int i = 0; i < 200; ++i) {
        if (Parse("<r><a x=\"1\">t</a></r>").ok() && !Parse("<!DOCTYPE r><r/>").ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 800);
}

}  // namespace
}  // namespace bulwark::xml
