#include <tree_sitter/api.h>

#include <cstdlib>
#include <memory>

#include "lower.h"

namespace bulwark::review {

std::unique_ptr<Lowerer> MakePythonLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeJavaLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeJsLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeCLowerer(std::string_view source, ir::Module& module);

std::string_view Lowerer::Text(TSNode n) const {
  std::uint32_t start = ts_node_start_byte(n);
  std::uint32_t end = ts_node_end_byte(n);
  if (start > src_.size() || end > src_.size() || end < start) return {};
  return src_.substr(start, end - start);
}

TSNode Lowerer::Field(TSNode n, const char* name) {
  return ts_node_child_by_field_name(n, name, static_cast<std::uint32_t>(std::char_traits<char>::length(name)));
}

std::vector<TSNode> Lowerer::Named(TSNode n) {
  std::vector<TSNode> out;
  std::uint32_t count = ts_node_named_child_count(n);
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(n, i);
    if (std::string_view(ts_node_type(c)) == "comment") continue;
    out.push_back(c);
  }
  return out;
}

ir::Id Lowerer::NewExpr(ir::ExprKind kind, TSNode at) {
  ir::Expr e;
  e.kind = kind;
  if (!Null(at)) {
    TSPoint p = ts_node_start_point(at);
    e.line = p.row + 1;
    e.col = p.column + 1;
  }
  m_.exprs.push_back(std::move(e));
  return static_cast<ir::Id>(m_.exprs.size() - 1);
}

ir::Id Lowerer::NewStmt(ir::StmtKind kind, TSNode at) {
  ir::Stmt s;
  s.kind = kind;
  if (!Null(at)) {
    TSPoint p = ts_node_start_point(at);
    s.line = p.row + 1;
    s.col = p.column + 1;
    s.end_line = ts_node_end_point(at).row + 1;
  }
  m_.stmts.push_back(std::move(s));
  return static_cast<ir::Id>(m_.stmts.size() - 1);
}

ir::Id Lowerer::Str(std::string value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kString;
  E(id).s = std::move(value);
  return id;
}
ir::Id Lowerer::Int(std::int64_t value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kInt;
  E(id).i = value;
  return id;
}
ir::Id Lowerer::Bool(bool value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kBool;
  E(id).i = value ? 1 : 0;
  return id;
}
ir::Id Lowerer::NullConst(TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kNull;
  return id;
}
ir::Id Lowerer::Name(std::string name, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kName, at);
  E(id).s = std::move(name);
  return id;
}
ir::Id Lowerer::Attr(ir::Id object, std::string field, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kAttr, at);
  E(id).s = std::move(field);
  E(id).kids.push_back(object);
  return id;
}
ir::Id Lowerer::Unary(std::string op, ir::Id operand, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kUnary, at);
  E(id).s = std::move(op);
  E(id).kids.push_back(operand);
  return id;
}
ir::Id Lowerer::Binary(std::string op, ir::Id l, ir::Id r, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kBinary, at);
  E(id).s = std::move(op);
  E(id).kids = {l, r};
  return id;
}

ir::Id Lowerer::Unknown(TSNode n) {
  std::vector<ir::Id> kids;
  for (TSNode c : Named(n)) {
    ir::Id k = Expr(c);
    if (k != ir::kNone) kids.push_back(k);
  }
  if (kids.size() == 1) return kids[0];  // wrappers (parentheses, casts, await)
  ir::Id id = NewExpr(ir::ExprKind::kUnknown, n);
  E(id).kids = std::move(kids);
  return id;
}

ir::Id Lowerer::Expr(TSNode n) {
  if (Null(n)) return ir::kNone;
  if (depth_ >= kMaxDepth) return NewExpr(ir::ExprKind::kUnknown, n);
  ++depth_;
  ir::Id id = LowerExpr(n);
  --depth_;
  return id;
}

void Lowerer::Stmt(TSNode n, std::vector<ir::Id>& out) {
  if (Null(n)) return;
  if (depth_ >= kMaxDepth) return;
  ++depth_;
  std::vector<ir::Id> saved;
  saved.swap(pre_);
  std::vector<ir::Id> produced;
  LowerStmt(n, produced);
  out.insert(out.end(), pre_.begin(), pre_.end());
  out.insert(out.end(), produced.begin(), produced.end());
  pre_.swap(saved);
  --depth_;
}

ir::Id Lowerer::Block(TSNode at, std::vector<ir::Id> body) {
  ir::Id id = NewStmt(ir::StmtKind::kBlock, at);
  S(id).body = std::move(body);
  return id;
}

ir::Id Lowerer::LowerBlock(TSNode n) {
  std::vector<ir::Id> body;
  Stmt(n, body);
  return Block(n, std::move(body));
}

ir::Id Lowerer::Assign(ir::Id target, ir::Id value, TSNode at, std::string type) {
  ir::Id id = NewStmt(ir::StmtKind::kAssign, at);
  S(id).a = target;
  S(id).b = value;
  S(id).type = std::move(type);
  return id;
}

std::size_t Lowerer::AddFunction(ir::Function f) {
  m_.functions.push_back(std::move(f));
  return m_.functions.size() - 1;
}

std::string Lowerer::ParseInt(std::string_view text, std::int64_t& out, bool& ok) {
  std::string t;
  for (char c : text) {
    if (c == '_' || c == '\'') continue;  // digit separators
    t.push_back(c);
  }
  while (!t.empty() && (t.back() == 'l' || t.back() == 'L' || t.back() == 'u' || t.back() == 'U')) {
    t.pop_back();
  }
  ok = false;
  if (t.empty()) return t;
  int base = 10;
  std::size_t start = 0;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    start = 2;
  } else if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) {
    base = 2;
    start = 2;
  } else if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) {
    base = 8;
    start = 2;
  }
  std::int64_t v = 0;
  for (std::size_t i = start; i < t.size(); ++i) {
    char c = t[i];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return t;  // a float or something else
    if (d >= base) return t;
    if (v > (INT64_MAX - d) / base) return t;  // overflow: not a constant we fold
    v = v * base + d;
  }
  out = v;
  ok = true;
  return t;
}

std::string Lowerer::Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out.push_back(c);
      continue;
    }
    char n = raw[++i];
    switch (n) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case '0': out.push_back('\0'); break;
      case '\\': out.push_back('\\'); break;
      case '"': out.push_back('"'); break;
      case '\'': out.push_back('\''); break;
      case '\n': break;  // line continuation
      default:
        out.push_back('\\');
        out.push_back(n);
    }
  }
  return out;
}

std::string Lowerer::SimpleType(std::string_view type) {
  // Drop generic arguments, qualifiers, pointers and namespaces.
  std::string t;
  int angle = 0;
  for (char c : type) {
    if (c == '<') ++angle;
    else if (c == '>') --angle;
    else if (angle == 0) t.push_back(c);
  }
  for (std::string_view q : {"const ", "volatile ", "final ", "struct ", "class ", "unsigned "}) {
    std::size_t p;
    while ((p = t.find(q)) != std::string::npos) t.erase(p, q.size());
  }
  std::string clean;
  for (char c : t) {
    if (c == '*' || c == '&' || c == ' ' || c == '[' || c == ']' || c == '\n' || c == '\t') continue;
    clean.push_back(c);
  }
  std::size_t cut = clean.find_last_of(".:");
  if (cut != std::string::npos) clean = clean.substr(cut + 1);
  return clean;
}

void Lowerer::LowerChildren(TSNode n, std::vector<ir::Id>& out) {
  for (TSNode c : Named(n)) Stmt(c, out);
}

void Lowerer::Run(TSNode root) {
  ir::Function body_fn;
  body_fn.name = "<module>";
  body_fn.is_module_body = true;
  body_fn.line = 1;
  std::size_t index = AddFunction(std::move(body_fn));
  std::vector<ir::Id> body;
  Stmt(root, body);
  ir::Id block = Block(root, std::move(body));
  m_.functions[index].body = block;
}

namespace {

void CountErrors(TSNode root, ir::Module& module, std::uint32_t& error_bytes) {
  // Iterative walk: hostile inputs can nest deeply.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool more = true;
  while (more) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    bool descend = true;
    if (std::string_view(ts_node_type(n)) == "ERROR" || ts_node_is_missing(n)) {
      ++module.error_nodes;
      error_bytes += ts_node_end_byte(n) - ts_node_start_byte(n);
      descend = false;
    } else if (!ts_node_has_error(n)) {
      descend = false;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace

void LowerTree(Language language, std::string_view source, TSNode root, ir::Module& module) {
  std::unique_ptr<Lowerer> lowerer;
  switch (language) {
    case Language::kPython: lowerer = MakePythonLowerer(source, module); break;
    case Language::kJava: lowerer = MakeJavaLowerer(source, module); break;
    case Language::kJavaScript:
    case Language::kTypeScript:
    case Language::kTsx: lowerer = MakeJsLowerer(source, module); break;
    case Language::kC:
    case Language::kCpp: lowerer = MakeCLowerer(source, module); break;
  }
  lowerer->Run(root);
}

bool ParseAndLower(Language language, std::string_view source, ir::Module& module) {
  module.language = language;
  std::uint32_t lines = 0;
  for (char c : source) lines += c == '\n' ? 1u : 0u;
  module.lines = lines + (source.empty() || source.back() == '\n' ? 0u : 1u);
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, GrammarFor(language));
  // A bound on pathological inputs; real files parse in milliseconds.
  ts_parser_set_timeout_micros(parser, 10'000'000);
  TSTree* tree = ts_parser_parse_string(parser, nullptr, source.data(),
                                        static_cast<std::uint32_t>(source.size()));
  ts_parser_delete(parser);
  if (tree == nullptr) return false;
  TSNode root = ts_tree_root_node(tree);
  std::uint32_t error_bytes = 0;
  if (ts_node_has_error(root)) CountErrors(root, module, error_bytes);
  bool ok = !(source.size() > 0 && error_bytes * 2 > source.size());
  if (ok) LowerTree(language, source, root, module);
  ts_tree_delete(tree);
  return ok;
}

}  // namespace bulwark::review
