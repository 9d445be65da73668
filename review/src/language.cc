#include "language.h"

#include <array>
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

const TSLanguage* GrammarFor(Language language) noexcept {
  return kRows[static_cast<std::size_t>(language)].grammar();
}

}  // namespace bulwark::review
