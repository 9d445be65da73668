#pragma once
// The reviewer's intermediate representation: what every language lowers to.
// Small on purpose: functions, assignments, calls, returns, branches, loops
// and string building. Expressions and statements live in per-module arenas
// and refer to each other by index, so a module is a few flat vectors.
//
// Thread-safety: a Module is built by one thread and then only read, so it
// may be shared by any number of analysis threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "language.h"

namespace bulwark::review::ir {

using Id = std::uint32_t;
inline constexpr Id kNone = 0xffffffffu;

enum class ExprKind : std::uint8_t {
  kConst,    // literal; see ConstKind
  kName,     // a variable or imported name: s = name
  kAttr,     // kids[0].s   (field / property / member)
  kIndex,    // kids[0][kids[1]]
  kCall,     // kids[0] = callee, kids[1..] = args; keys[i] = keyword of arg i ("" positional)
  kNew,      // new s(kids...) (constructor call; s = simple type name)
  kBinary,   // kids[0] s kids[1]; s = operator ("+", "==", "and", ...)
  kUnary,    // s kids[0]
  kCond,     // kids[0] ? kids[1] : kids[2]
  kFormat,   // string built from parts (f-strings, templates): concatenation of kids
  kList,     // list/array/tuple literal
  kDict,     // dict/object literal: keys[i] = constant key of kids[i] ("" when not constant)
  kFunc,     // a lambda / nested function: i = index into Module::functions
  kThis,     // this / self
  kUnknown,  // anything else; taint flows from any kid (s: a JS regex literal's or a Java method reference's text)
};

enum class ConstKind : std::uint8_t { kUnset, kString, kInt, kBool, kNull };

struct Expr {
  ExprKind kind = ExprKind::kUnknown;
  ConstKind const_kind = ConstKind::kUnset;
  // C/C++: '*' for `*x`, '&' for `&x`, both lowered to x (whose taint and
  // path they keep): the memory x points at is read, or x itself is handed
  // over to be written (an out-parameter).
  char pointer_op = 0;
  // C/C++: where the memory an address points at lives. `&x`, x a
  // variable with storage of its own (not a C++ reference), or the name of
  // a file-level array read in a function: stack (1: declared in the
  // function) or static (2: file level) memory. A kNew from `new T(...)`
  // (not a constructed local `T x(...)`): 3, the heap of `new`.
  std::uint8_t storage = 0;
  std::uint32_t line = 0;  // 1-based
  std::uint32_t col = 0;   // 1-based, in bytes
  // kInt/kBool value, kFunc function index; a Java kNew with an anonymous
  // class body: the index of its first method + 1 (0: no body).
  std::int64_t i = 0;
  std::string s;           // name, field, operator, string value, type
  std::vector<Id> kids;
  std::vector<std::string> keys;  // kCall keywords, kDict keys
};

enum class StmtKind : std::uint8_t {
  kExpr,    // a = expression
  kAssign,  // a = target, b = value (kNone for a declaration without value); op for "+=" etc.
  kReturn,  // a = value or kNone
  kIf,      // a = condition (kNone: unknown), body, orelse
  kLoop,    // a = condition (kNone: unknown), body
  kBlock,   // body
  kThrow,   // the path ends here: raise / throw outside a try body
  kContinue,  // the rest of the innermost loop's iteration is skipped
  kBreak,     // the innermost loop ends here (C/C++; a break out of a switch is not one)
};

struct Stmt {
  StmtKind kind = StmtKind::kBlock;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  std::uint32_t end_line = 0;  // last line of the statement (suppressions)
  Id a = kNone;
  Id b = kNone;
  std::string op;    // compound assignment operator ("+"), empty otherwise
  std::string type;  // declared type of the assigned variable (Java, C, C++, TS)
  bool indirect = false;  // C/C++: the declared variable is a pointer or an array (`type` is what it points at)
  // C/C++: a local scalar or pointer declared without a value (not static):
  // it holds garbage until assigned.
  bool uninitialized = false;
  std::vector<Id> body;
  std::vector<Id> orelse;
};

struct Param {
  std::string name;
  std::string type;                      // simple type name, "" when unknown
  std::vector<std::string> annotations;  // Java annotations on the parameter
  // Java: the one type argument of a generic parameter type (List<Long> ->
  // "Long"), "" when there is none or several.
  std::string type_arg;
  bool out = false;  // C/C++ pointer, array or non-const reference: writes reach the caller
  bool indirect = false;  // C/C++ pointer or array (`type` is what it points at)
};

struct Function {
  std::string name;       // "" for lambdas
  std::string cls;        // enclosing class, "" for free functions
  std::vector<Param> params;
  std::vector<Id> decorators;  // Python decorators / Java annotations, as kCall exprs
  // How many of `decorators` are the function's own; the rest are its
  // class's annotations (Java), which apply to every method.
  std::size_t own_decorators = static_cast<std::size_t>(-1);
  Id body = kNone;        // a kBlock statement
  std::uint32_t line = 0;
  bool is_module_body = false;  // the synthetic function holding top-level code
  bool is_lambda = false;
  // C `f(const char *fmt, ...)` / Java `f(String... xs)`: takes more
  // arguments than it names (Java's last parameter holds them all).
  bool variadic = false;
  // JS/TS: the module hands it to other code (module.exports, exports.x,
  // `export`), so its arguments come from callers the project never sees.
  bool exported = false;
  std::string ret_type;  // declared return type's simple name (Java), "" if unknown
  // Java: declared without a body (an interface, abstract or native
  // method); its body is an empty block.
  bool no_body = false;
  // Java: a method of an anonymous class, `new T() { ... }`: the kNew
  // expression that makes it (kNone otherwise).
  Id anonymous_of = kNone;
};

struct Module {
  Language language = Language::kPython;
  std::string path;
  std::vector<Expr> exprs;
  std::vector<Stmt> stmts;
  std::vector<Function> functions;
  // Local name -> qualified name, from imports / requires ("sp" -> "subprocess").
  std::unordered_map<std::string, std::string> imports;
  // Declared types of fields / globals by name (Java, C++, TS), for receivers.
  std::unordered_map<std::string, std::string> field_types;
  // C++: members declared in each class body of this file (class -> name, type),
  // so methods defined in another file (a .cpp for a header's class) know them.
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> class_fields;
  // Base classes of each class defined here, qualified through the imports
  // ("MainHandler" -> {"tornado.web.RequestHandler"}) (Python).
  std::unordered_map<std::string, std::vector<std::string>> class_bases;
  std::uint32_t lines = 0;
  std::uint32_t error_nodes = 0;  // tree-sitter ERROR/MISSING nodes seen
};

// Bytes in one value of a C scalar type ("char", "unsigned char", "wchar_t",
// "int", "size_t", a pointer "T *"), for an LP64 target; 0 when unknown
// (structs, typedefs). Used for sizeof and for buffer element sizes.
inline std::int64_t CScalarSize(std::string_view type) {
  std::string t;
  for (const char c : type) {  // collapse whitespace
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!t.empty() && t.back() != ' ') t.push_back(' ');
    } else {
      t.push_back(c);
    }
  }
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (std::string_view q : {"const ", "volatile ", "signed ", "unsigned "}) {
    while (t.starts_with(q)) t.erase(0, q.size());
  }
  if (t.ends_with("*")) return 8;
  if (t == "unsigned" || t == "signed") return 4;
  if (t == "char" || t == "int8_t" || t == "uint8_t" || t == "char8_t" || t == "bool" || t == "_Bool" ||
      t == "BYTE" || t == "byte") {
    return 1;
  }
  if (t == "short" || t == "short int" || t == "int16_t" || t == "uint16_t" || t == "char16_t") return 2;
  if (t == "wchar_t" || t == "int" || t == "int32_t" || t == "uint32_t" || t == "char32_t" || t == "float" ||
      t == "WCHAR") {
    return 4;
  }
  if (t == "long" || t == "long int" || t == "long long" || t == "long long int" || t == "int64_t" ||
      t == "uint64_t" || t == "size_t" || t == "ssize_t" || t == "double" || t == "intptr_t" || t == "uintptr_t" ||
      t == "ptrdiff_t") {
    return 8;
  }
  return 0;
}

}  // namespace bulwark::review::ir
