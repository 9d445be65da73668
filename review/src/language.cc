#include "language.h"

#include <tree_sitter/parser.h>  // struct TSLanguage (the runtime's ABI 14 layout)

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
}

namespace bulwark::review {
namespace {

struct Row {
  Language language;
  std::string_view name;
  const TSLanguage* (*grammar)();
};
constexpr std::array<Row, kLanguageCount> kRows = {{
    {Language::kPython, "python", tree_sitter_python},
    {Language::kJava, "java", tree_sitter_java},
    {Language::kJavaScript, "javascript", tree_sitter_javascript},
    {Language::kTypeScript, "typescript", tree_sitter_typescript},
    {Language::kTsx, "typescript", tree_sitter_tsx},
    {Language::kC, "c", tree_sitter_c},
    {Language::kCpp, "cpp", tree_sitter_cpp},
}};

struct Ext {
  std::string_view ext;
  Language language;
};
constexpr Ext kExtensions[] = {
    {".py", Language::kPython},      {".pyw", Language::kPython},
    {".java", Language::kJava},      {".js", Language::kJavaScript},
    {".mjs", Language::kJavaScript}, {".cjs", Language::kJavaScript},
    {".jsx", Language::kJavaScript}, {".ts", Language::kTypeScript},
    {".mts", Language::kTypeScript}, {".cts", Language::kTypeScript},
    {".tsx", Language::kTsx},        {".c", Language::kC},
    {".h", Language::kCpp},  // headers: C++ grammar parses C headers too
    {".cc", Language::kCpp},         {".cpp", Language::kCpp},
    {".cxx", Language::kCpp},        {".c++", Language::kCpp},
    {".hh", Language::kCpp},         {".hpp", Language::kCpp},
    {".hxx", Language::kCpp},        {".inl", Language::kCpp},
};

}  // namespace

std::string_view LanguageName(Language language) noexcept {
  return kRows[static_cast<std::size_t>(language)].name;
}

std::optional<Language> LanguageFromName(std::string_view name) noexcept {
  for (const Row& row : kRows) {
    if (row.name == name) return row.language;
  }
  if (name == "c++") return Language::kCpp;
  return std::nullopt;
}

std::optional<Language> DetectLanguage(std::string_view path) noexcept {
  std::size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext(base.substr(dot));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // ".C" and ".H" are C++ by convention; lower-casing maps them to C/C++ rows.
  if (base.ends_with(".d.ts")) return std::nullopt;  // declarations only
  for (const Ext& e : kExtensions) {
    if (e.ext == ext) return e.language;
  }
  return std::nullopt;
}

namespace {

// Tree-sitter stores most parse states of a big grammar as "small" states:
// symbol groups searched linearly on every table lookup
// (ts_language_table_entry was a fifth of the scan time on C++ headers). The
// runtime reads those tables only through that lookup, where a "large"
// state is one direct index into a dense row, so a copy of the language with
// every state large parses identically, trading memory for speed: states x
// symbols x 2 bytes (9 MiB for C++, 1.5 MiB for Python), built once per
// language on first use.
struct DenseLanguage {
  TSLanguage language;
  std::unique_ptr<std::uint16_t[]> table;
};

const TSLanguage* Densify(const TSLanguage* base, std::unique_ptr<DenseLanguage>& keep) {
  const std::size_t symbols = base->symbol_count, states = base->state_count, large = base->large_state_count;
  if (large >= states || base->small_parse_table == nullptr || base->small_parse_table_map == nullptr) return base;
  auto dense = std::make_unique<DenseLanguage>();
  dense->language = *base;
  dense->table = std::make_unique<std::uint16_t[]>(states * symbols);  // zero: no action
  std::uint16_t* table = dense->table.get();
  std::memcpy(table, base->parse_table, large * symbols * sizeof(std::uint16_t));
  for (std::size_t state = large; state < states; ++state) {
    const std::uint16_t* data = &base->small_parse_table[base->small_parse_table_map[state - large]];
    std::uint16_t groups = *data++;
    for (std::uint16_t g = 0; g < groups; ++g) {
      std::uint16_t value = *data++;
      std::uint16_t count = *data++;
      for (std::uint16_t k = 0; k < count; ++k) {
        std::uint16_t symbol = *data++;
        if (symbol >= symbols) return base;  // not the layout we know: keep the original
        table[state * symbols + symbol] = value;
      }
    }
  }
  dense->language.parse_table = table;
  dense->language.large_state_count = static_cast<std::uint32_t>(states);
  keep = std::move(dense);
  return &keep->language;
}

}  // namespace

const TSLanguage* GrammarFor(Language language) noexcept {
  static std::array<std::once_flag, kLanguageCount> once;
  static std::array<std::unique_ptr<DenseLanguage>, kLanguageCount> keep;
  static std::array<const TSLanguage*, kLanguageCount> grammars{};
  const auto i = static_cast<std::size_t>(language);
  std::call_once(once[i], [&] { grammars[i] = Densify(kRows[i].grammar(), keep[i]); });
  return grammars[i];
}

}  // namespace bulwark::review
