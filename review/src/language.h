#pragma once
// Languages the reviewer understands, how a file's language is detected, and
// the tree-sitter grammar for each. Adding a language: one enum value here, a
// row in language.cc, a lower_<lang>.cc, and a models file under rules/models/.

#include <optional>
#include <string_view>

struct TSLanguage;

namespace bulwark::review {

enum class Language : unsigned char { kPython, kJava, kJavaScript, kTypeScript, kTsx, kC, kCpp };

// Stable lower-case name used in rule files ("python", "cpp", ...). TSX files
// report as "typescript".
std::string_view LanguageName(Language language) noexcept;
// Parses a rule-file language name; nullopt if unknown.
std::optional<Language> LanguageFromName(std::string_view name) noexcept;
// By file extension (".py", ".java", ".js", ".ts", ".c", ".cc", ".h", ...).
std::optional<Language> DetectLanguage(std::string_view path) noexcept;
const TSLanguage* GrammarFor(Language language) noexcept;

// Rules and models are written per language family: TSX uses TypeScript's.
inline Language RuleLanguage(Language language) noexcept {
  return language == Language::kTsx ? Language::kTypeScript : language;
}
inline constexpr int kLanguageCount = 7;

// Languages whose code can call each other's functions in one program:
// JavaScript with TypeScript, C with C++. A Python call never reaches a
// JavaScript function of the same name.
inline int LinkFamily(Language language) noexcept {
  switch (language) {
    case Language::kJavaScript:
    case Language::kTypeScript:
    case Language::kTsx: return 2;
    case Language::kC:
    case Language::kCpp: return 3;
    case Language::kJava: return 1;
    case Language::kPython: return 0;
  }
  return 0;
}

}  // namespace bulwark::review
