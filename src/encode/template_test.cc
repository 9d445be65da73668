#include "bulwark/encode/template.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace bulwark::encode {
namespace {

Result<std::string> RenderOne(const std::string& source, const TemplateValue& data,
                              const RenderOptions& options = {}) {
  BULWARK_ASSIGN_OR_RETURN(TemplateSet set, TemplateSet::Load({{"t", source}}));
  BULWARK_ASSIGN_OR_RETURN(Template t, set.Get("t"));
  BULWARK_ASSIGN_OR_RETURN(SanitizedHtml html, t.Render(data, options));
  return std::move(html).str();
}

std::string MustRender(const std::string& source, const TemplateValue& data,
                       const RenderOptions& options = {}) {
  Result<std::string> r = RenderOne(source, data, options);
  EXPECT_TRUE(r.ok()) << source << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : "";
}

TemplateValue Data(std::string name, TemplateValue value) {
  return TemplateValue::MakeMap().Set(std::move(name), std::move(value));
}

std::string LoadError(const std::string& source) {
  Result<TemplateSet> set = TemplateSet::Load({{"t", source}});
  EXPECT_FALSE(set.ok()) << "loaded but must not: " << source;
  return set.ok() ? "" : set.error().message();
}

const char* kXss = "\"'><script>alert(1)</script><img src=x onerror=alert(1)>";

TEST(Template, TextContext) {
  EXPECT_EQ(MustRender("<p>Hello, {{name}}!</p>", Data("name", kXss)),
            "<p>Hello, &quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x "
            "onerror=alert(1)&gt;!</p>");
  EXPECT_EQ(MustRender("<title>{{t}}</title>", Data("t", "</title><script>")),
            "<title>&lt;/title&gt;&lt;script&gt;</title>");
  EXPECT_EQ(MustRender("<textarea>{{t}}</textarea>", Data("t", "</textarea><b>")),
            "<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>");
  EXPECT_EQ(MustRender("{{n}} {{b}}", TemplateValue::MakeMap().Set("n", 42).Set("b", true)),
            "42 true");
}

TEST(Template, QuotedAttributes) {
  EXPECT_EQ(MustRender("<p title=\"{{t}}\" class='{{t}}'>x</p>", Data("t", "\" onmouseover='a")),
            "<p title=\"&quot; onmouseover=&#39;a\" class='&quot; onmouseover=&#39;a'>x</p>");
  EXPECT_EQ(MustRender("<input value=\"{{v}}\">", Data("v", kXss)).find("<script"),
            std::string::npos);
}

TEST(Template, UrlAttributes) {
  EXPECT_EQ(MustRender("<a href=\"{{u}}\">x</a>", Data("u", "javascript:alert(1)")),
            "<a href=\"about:invalid#blocked\">x</a>");
  EXPECT_EQ(MustRender("<a href=\"{{u}}\">x</a>", Data("u", " JAVASCRIPT:alert(1)")),
            "<a href=\"%20JAVASCRIPT:alert(1)\">x</a>");
  EXPECT_EQ(MustRender("<img src=\"{{u}}\">", Data("u", "data:image/svg+xml,<svg onload=alert(1)>")),
            "<img src=\"about:invalid#blocked\">");
  EXPECT_EQ(MustRender("<a href=\"{{u}}\">x</a>", Data("u", "https://example.com/?a=1&b=2")),
            "<a href=\"https://example.com/?a=1&amp;b=2\">x</a>");
  EXPECT_EQ(MustRender("<a href=\"/users/{{id}}/edit\">x</a>", Data("id", "../admin")),
            "<a href=\"/users/..%2Fadmin/edit\">x</a>");
  EXPECT_EQ(MustRender("<a href=\"/users/{{id}}\">x</a>", Data("id", "..")),
            "<a href=\"/users/%2E%2E\">x</a>");
  EXPECT_EQ(MustRender("<a href=\"/search?q={{q}}&amp;page=1\">x</a>", Data("q", "a&b=c d\"")),
            "<a href=\"/search?q=a%26b%3Dc%20d%22&amp;page=1\">x</a>");
  EXPECT_EQ(MustRender("<form action=\"{{a}}\"></form>", Data("a", "vbscript:x")),
            "<form action=\"about:invalid#blocked\"></form>");
}

TEST(Template, ScriptContexts) {
  const std::string out =
      MustRender("<script>var s = \"{{s}}\"; var t = '{{s}}';</script>",
                 Data("s", "</script><script>alert(1)</script>\"; alert(2); '"));
  EXPECT_EQ(out.find("</script><script>"), std::string::npos);
  EXPECT_EQ(out.find("alert(2); '"), std::string::npos);
  EXPECT_EQ(out.find("</script>"), out.size() - 9);
  EXPECT_EQ(MustRender("<script>var n = {{n}};</script>", Data("n", 5)),
            "<script>var n =  5 ;</script>");
  EXPECT_EQ(MustRender("<script>var s = {{s}};</script>", Data("s", "a\"b</script>")),
            "<script>var s =  \"a\\u0022b\\u003c\\u002fscript\\u003e\" ;</script>");
  EXPECT_EQ(MustRender("<script>var s = {{s}};</script>", Data("s", "alert(1)")),
            "<script>var s =  \"alert(1)\" ;</script>");
  // JSON data blocks work the same way.
  EXPECT_EQ(MustRender("<script type=\"application/json\">{\"a\": {{s}}}</script>", Data("s", "x")),
            "<script type=\"application/json\">{\"a\":  \"x\" }</script>");
  // Regex and division are told apart.
  EXPECT_TRUE(RenderOne("<script>var r = /'/.test(x); var s = '{{s}}';</script>", Data("s", "a")).ok());
  EXPECT_TRUE(RenderOne("<script>var d = a / 2; var s = '{{s}}';</script>", Data("s", "a")).ok());
  EXPECT_TRUE(RenderOne("<script>if (x) { return /'/.test(y); } var s = '{{s}}';</script>",
                        Data("s", "a")).ok());
}

TEST(Template, StyleContexts) {
  EXPECT_EQ(MustRender("<style>.a::after { content: \"{{c}}\"; }</style>",
                       Data("c", "\"}</style><script>alert(1)</script>")),
            "<style>.a::after { content: \"\\22 \\7d \\3c \\2f style\\3e \\3c script\\3e "
            "alert\\28 1\\29 \\3c \\2f script\\3e \"; }</style>");
  EXPECT_EQ(MustRender("<p style=\"font-family: '{{f}}'\">x</p>", Data("f", "a' ; x:expression(1)")),
            "<p style=\"font-family: 'a\\27  \\3b  x\\3a expression\\28 1\\29 '\">x</p>");
}

TEST(Template, CspNonce) {
  RenderOptions options;
  options.csp_nonce = "cmFuZG9tLW5vbmNl";
  EXPECT_EQ(MustRender("<script nonce=\"{{csp_nonce}}\">var a = 1;</script>",
                       TemplateValue::MakeMap(), options),
            "<script nonce=\"cmFuZG9tLW5vbmNl\">var a = 1;</script>");
  // No nonce, or one that is not base64: refused at render.
  EXPECT_FALSE(RenderOne("<script nonce=\"{{csp_nonce}}\"></script>", TemplateValue::MakeMap()).ok());
  options.csp_nonce = "\"><script>";
  EXPECT_FALSE(
      RenderOne("<script nonce=\"{{csp_nonce}}\"></script>", TemplateValue::MakeMap(), options).ok());
}

TEST(Template, RefusesUnsafeContextsAtLoad) {
  for (const char* source : {
           "<a href={{u}}>x</a>",                       // unquoted attribute
           "<p title={{t}}>x</p>",                      // unquoted attribute
           "<p title=x{{t}}>x</p>",                     // unquoted attribute value
           "<a onclick=\"{{x}}\">x</a>",                // event handler
           "<body onload='go({{x}})'>",                 // event handler
           "<svg><animate onbegin=\"{{x}}\"/></svg>",   // event handler
           "<div {{attr}}>x</div>",                     // attribute name
           "<div data-{{n}}=\"x\">x</div>",             // attribute name
           "<{{tag}}>x",                                // tag name
           "<a href=\"javascript:{{x}}\">x</a>",        // javascript: URL
           "<a href=\"JavaScript:void(0)\">x</a>",      // static javascript: URL
           "<a href=\" javascript:alert(1)\">x</a>",    // with leading space
           "<a href=\"java&#115;cript:alert(1)\">x</a>",  // entity in scheme
           "<iframe src=\"data:text/html,{{x}}\"></iframe>",
           "<iframe srcdoc=\"{{x}}\"></iframe>",
           "<img srcset=\"{{x}}\">",
           "<!-- {{x}} -->",
           "<!DOCTYPE {{x}}>",
           "<script>var a = `{{x}}`;</script>",         // template literal
           "<script>var a = `${b}`;</script>",          // interpolation
           "<script>// {{x}}\n</script>",               // JS comment
           "<script>/* {{x}} */</script>",
           "<script>var r = /{{x}}/;</script>",         // regex
           "<script>var s = \"\\{{x}}\";</script>",     // after a backslash
           "<script><!-- x --></script>",
           "<script>var s = '</scr{{x}}';</script>",
           "<script>if (a) {} /x/.test(b)</script>",    // ambiguous slash
           "<style>a { color: {{c}} }</style>",         // CSS outside a string
           "<p style=\"color: {{c}}\">x</p>",
           "<xmp>{{x}}</xmp>",
           "<noscript>{{x}}</noscript>",
           "<a href=\"x\"",                             // ends inside a tag
           "<p title=\"{{x}}",                          // ends inside an attribute
           "<script>var a = 1;",                        // ends inside script
           "{{#if a}}<b>{{else}}<i {{/if}}",            // branches differ
           "{{#if a}}<a href=\"{{/if}}\">",             // branch ends elsewhere
           "{{#each xs}}<li>{{.}}{{/each}}<p title=\"",  // ends in attribute
           "{{#each xs}}<p title=\"{{/each}}\">",       // loop changes context
           "<p title=\"{{UnsafeRawHtml h}}\">",        // raw html outside text
           "<script>{{UnsafeRawHtml h}}</script>",
           "<script>{{> p}}</script>",                  // partial outside text
           "{{#if a}}x",                                // unclosed block
           "x{{/if}}",                                  // unmatched close
           "{{else}}",
           "{{#unless a}}x{{/unless}}",                 // unknown block
           "{{a b}}",                                   // invalid name
           "{{x",                                       // unclosed action
           "{{}}",
           "\xC0\xBC",                                  // invalid UTF-8 source
       }) {
    LoadError(source);
  }
}

TEST(Template, LoadErrorsNameTemplateAndLine) {
  std::string error = LoadError("<p>\n<a onclick=\"{{x}}\">\n</p>");
  EXPECT_NE(error.find("template t:2:"), std::string::npos) << error;
  EXPECT_NE(error.find("event-handler"), std::string::npos) << error;
}

TEST(Template, RawHtmlOnlyFromSanitizedHtml) {
  TemplateValue data = TemplateValue::MakeMap()
                           .Set("safe", SanitizedHtml::UnsafeFromTrustedMarkup("<b>bold</b>"))
                           .Set("text", "<b>bold</b>");
  EXPECT_EQ(MustRender("<div>{{UnsafeRawHtml safe}}</div>", data), "<div><b>bold</b></div>");
  Result<std::string> refused = RenderOne("<div>{{UnsafeRawHtml text}}</div>", data);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("SanitizedHtml"), std::string::npos);
  // A SanitizedHtml in a normal substitution is escaped like any text.
  EXPECT_EQ(MustRender("<div>{{safe}}</div>", data), "<div>&lt;b&gt;bold&lt;/b&gt;</div>");
}

TEST(Template, IfEachAndScopes) {
  TemplateValue items = TemplateValue::MakeList(
      {TemplateValue::MakeMap().Set("name", "<a>").Set("admin", true),
       TemplateValue::MakeMap().Set("name", "b").Set("admin", false)});
  TemplateValue data = TemplateValue::MakeMap().Set("users", items).Set("title", "T");
  EXPECT_EQ(MustRender("<ul>{{#each users}}<li class=\"{{#if admin}}admin{{else}}user{{/if}}\">"
                       "{{name}} ({{title}})</li>{{/each}}</ul>",
                       data),
            "<ul><li class=\"admin\">&lt;a&gt; (T)</li><li class=\"user\">b (T)</li></ul>");
  EXPECT_EQ(MustRender("{{#each xs}}[{{.}}]{{/each}}",
                       Data("xs", TemplateValue::MakeList({"<", "2"}))),
            "[&lt;][2]");
  EXPECT_EQ(MustRender("{{#if missing}}yes{{else}}no{{/if}}", TemplateValue::MakeMap()), "no");
  EXPECT_EQ(MustRender("{{#if s}}yes{{/if}}", Data("s", "")), "");
  EXPECT_EQ(MustRender("{{a.b}}", Data("a", TemplateValue::MakeMap().Set("b", "<x>"))), "&lt;x&gt;");
}

TEST(Template, RenderErrorsNeverEchoValues) {
  Result<std::string> missing = RenderOne("<p>{{name}}</p>", TemplateValue::MakeMap());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("{{name}}"), std::string::npos);
  Result<std::string> list = RenderOne("<p>{{xs}}</p>", Data("xs", TemplateValue::MakeList({"secret"})));
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().message().find("secret"), std::string::npos);
  RenderOptions small;
  small.max_output_bytes = 10;
  Result<std::string> big = RenderOne("<p>{{x}}</p>", Data("x", std::string(100, 'a')), small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
}

TEST(Template, PartialsAndLayouts) {
  auto set = TemplateSet::Load({
      {"layout", "<!DOCTYPE html><html><head><title>{{title}}</title></head><body>"
                 "{{> header}}<main>{{UnsafeRawHtml content}}</main></body></html>"},
      {"header", "<header><a href=\"/\">{{site}}</a></header>"},
      {"page", "<p>{{text}}</p>"},
  });
  ASSERT_TRUE(set.ok()) << set.error().message();
  auto page = set->Get("page");
  ASSERT_TRUE(page.ok());
  auto content = page->Render(Data("text", "<hi>"));
  ASSERT_TRUE(content.ok());
  TemplateValue data = TemplateValue::MakeMap()
                           .Set("title", "Home")
                           .Set("site", "bulwark")
                           .Set("content", *content);
  auto layout = set->Get("layout");
  ASSERT_TRUE(layout.ok());
  auto html = layout->Render(data);
  ASSERT_TRUE(html.ok()) << html.error().message();
  EXPECT_EQ(html->str(),
            "<!DOCTYPE html><html><head><title>Home</title></head><body><header><a href=\"/\">"
            "bulwark</a></header><main><p>&lt;hi&gt;</p></main></body></html>");
  EXPECT_EQ(set->Get("nope").error().code(), ErrorCode::kNotFound);
  // A template stays usable after the set moves.
  TemplateSet moved = std::move(set).value();
  EXPECT_TRUE(page->Render(Data("text", "x")).ok());
}

TEST(Template, PartialErrors) {
  EXPECT_FALSE(TemplateSet::Load({{"a", "{{> missing}}"}}).ok());
  EXPECT_FALSE(TemplateSet::Load({{"a", "{{> b}}"}, {"b", "{{> a}}"}}).ok());
  EXPECT_FALSE(TemplateSet::Load({{"a", "{{> a}}"}}).ok());
  EXPECT_FALSE(TemplateSet::Load({{"bad name", "x"}}).ok());
  EXPECT_FALSE(TemplateSet::Load({{"a", "<p title=\"x"}}).ok());
}

// Property: whatever the value, it cannot leave the context it was put in.
TEST(Template, PropertyValuesStayInTheirContext) {
  auto set = TemplateSet::Load({
      {"text", "<p>{{v}}</p>"},
      {"attr", "<p title=\"{{v}}\"></p>"},
      {"url", "<a href=\"{{v}}\"></a>"},
      {"js", "<script>var s = '{{v}}';</script>"},
      {"css", "<style>a{content:\"{{v}}\"}</style>"},
  });
  ASSERT_TRUE(set.ok());
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"<", ">", "\"", "'", "&", "/", "\\", "script", "style",
                                           "</", "javascript:", " ", "\n", "}", "`", "\xE2\x80\xA8",
                                           "\xFF", "on", "=", "x"};
  for (int i = 0; i < 5000; ++i) {
    std::string v;
    for (int k = 0; k < 8; ++k) v += pieces[rng() % pieces.size()];
    TemplateValue data = Data("v", v);
    auto inner = [&](const char* name, std::string_view prefix, std::string_view suffix) {
      auto html = set->Get(name)->Render(data);
      EXPECT_TRUE(html.ok());
      std::string out = html->str();
      EXPECT_TRUE(out.starts_with(prefix) && out.ends_with(suffix)) << name << ": " << out;
      return out.substr(prefix.size(), out.size() - prefix.size() - suffix.size());
    };
    std::string text = inner("text", "<p>", "</p>");
    ASSERT_EQ(text.find_first_of("<>"), std::string::npos);
    std::string attr = inner("attr", "<p title=\"", "\"></p>");
    ASSERT_EQ(attr.find_first_of("\"<>"), std::string::npos);
    std::string url = inner("url", "<a href=\"", "\"></a>");
    ASSERT_EQ(url.find_first_of("\"<> "), std::string::npos);
    ASSERT_FALSE(url.starts_with("javascript:"));
    std::string js = inner("js", "<script>var s = '", "';</script>");
    ASSERT_EQ(js.find_first_of("'\"<>\n"), std::string::npos);
    std::string css = inner("css", "<style>a{content:\"", "\"}</style>");
    ASSERT_EQ(css.find_first_of("\"'<>{}\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace bulwark::encode
