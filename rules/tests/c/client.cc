#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <ldap.h>

#include <cstdlib>
#include <string>

namespace app {

class Fetcher {
 public:
  void Fetch(CURL* curl) {
    const char* target = std::getenv("TARGET_URL");
    // ruleid: ssrf
    curl_easy_setopt(curl, CURLOPT_URL, target);
    // ok: ssrf
    curl_easy_setopt(curl, CURLOPT_URL, "https://api.example.com/");
  }
};

void Search(LDAP* ld, xmlXPathContextPtr ctx, int argc, char** argv) {
  std::string filter = "(uid=";
  filter.append(std::getenv("LDAP_USER"));
  filter.append(")");
  LDAPMessage* res = nullptr;
  // ruleid: ldap-injection
  ldap_search_s(ld, "dc=example", LDAP_SCOPE_SUBTREE, filter.c_str(), nullptr, 0, &res);
  // ok: ldap-injection
  ldap_search_s(ld, "dc=example", LDAP_SCOPE_SUBTREE, "(uid=admin)", nullptr, 0, &res);
  std::string expr = std::string("//user[@name='") + std::getenv("XP_USER") + "']";
  // ruleid: xpath-injection
  xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), ctx);
  // ok: xpath-injection
  xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>("//user"), ctx);
  const char* body = std::getenv("XML_BODY");
  // ruleid: xxe
  xmlReadMemory(body, 100, nullptr, nullptr, XML_PARSE_NOENT);
  // ok: xxe
  xmlReadMemory(body, 100, nullptr, nullptr, XML_PARSE_NONET);
  (void)argc;
  (void)argv;
}

}  // namespace app
