// The template loader on arbitrary sources: never crashes; a template that
// loads renders (or fails cleanly) with hostile values, and every rendered
// value stays escaped: the output never holds the raw marker string.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "bulwark/encode/template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark::encode;
  std::string source(reinterpret_cast<const char*>(data), size);
  // Half of the input may define a partial, after a NUL separator.
  std::map<std::string, std::string> sources;
  const std::size_t split = source.find('\0');
  if (split != std::string::npos) {
    sources["p"] = source.substr(split + 1);
    source.resize(split);
  }
  sources["t"] = source;
  TemplateLimits limits;
  limits.max_source_bytes = 1 << 16;
  auto set = TemplateSet::Load(sources, limits);
  if (!set.ok()) return 0;
  auto tmpl = set->Get("t");
  if (!tmpl.ok()) std::abort();

  // A value that would be an XSS if it were ever inserted unescaped.
  const std::string hostile = "\"'><zq9 x=`javascript:alert(1)`></script></style>";
  TemplateValue item = TemplateValue::MakeMap().Set("x", hostile).Set("v", 7);
  TemplateValue data_map = TemplateValue::MakeMap();
  for (const char* name : {"x", "v", "a", "b", "name", "title", "u", "s", "c", "n"}) {
    data_map.Set(name, hostile);
  }
  data_map.Set("xs", TemplateValue::MakeList({item, item}));
  data_map.Set("flag", true);
  data_map.Set("h", SanitizedHtml(EncodeHtmlText(hostile)));
  RenderOptions options;
  options.csp_nonce = "bm9uY2U";
  options.max_output_bytes = 1 << 20;
  auto html = tmpl->Render(data_map, options);
  if (html.ok() && html->str().find("<zq9") != std::string::npos &&
      source.find("<zq9") == std::string::npos &&
      sources["p"].find("<zq9") == std::string::npos) {
    std::abort();  // the hostile value escaped its context
  }
  return 0;
}
