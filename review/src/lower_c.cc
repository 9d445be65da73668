// C and C++ -> IR. Out-parameters are left to the models (fgets writes its
// first argument); declarations keep their simple type for receivers;
// namespaces, classes, templates and extern "C" blocks are walked through.
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "lower.h"

namespace bulwark::review {
namespace {

class CLowerer final : public Lowerer {
 public:
  using Lowerer::Lowerer;

 protected:
  void LowerStmt(TSNode n, std::vector<ir::Id>& out) override {
    std::string_view t = Type(n);
    if (fn_body_depth_ > 0 &&
        (t == "preproc_if" || t == "preproc_ifdef" || t == "preproc_elif" || t == "preproc_elifdef")) {
      PreprocBranch(n, out);
      return;
    }
    if (t == "translation_unit" || t == "compound_statement" || t == "declaration_list" ||
        t == "field_declaration_list" || t == "linkage_specification" ||
        t == "template_declaration" || t == "preproc_if" || t == "preproc_ifdef" ||
        t == "preproc_else" || t == "preproc_elif" || t == "preproc_elifdef" ||
        t == "labeled_statement" || t == "export_declaration") {
      LowerChildren(n, out);
    } else if (t == "namespace_definition") {
      Stmt(Field(n, "body"), out);
    } else if (t == "class_specifier" || t == "struct_specifier" || t == "union_specifier") {
      std::string saved = cls_;
      TSNode name = Field(n, "name");
      cls_ = Null(name) ? cls_ : SimpleType(Text(name));
      TSNode body = Field(n, "body");
      if (!Null(body)) LowerChildren(body, out);
      cls_ = saved;
    } else if (t == "function_definition") {
      LowerFunction(n);
    } else if (t == "declaration" || t == "field_declaration") {
      TSNode type_node = Field(n, "type");
      if (!Null(type_node) && (Type(type_node) == "class_specifier" || Type(type_node) == "struct_specifier")) {
        Stmt(type_node, out);
      }
      std::string type = Null(type_node) ? "" : SimpleType(Text(type_node));
      for (TSNode c : Named(n)) {
        if (ts_node_eq(c, type_node)) continue;
        std::string_view ct = Type(c);
        if (ct == "init_declarator") {
          TSNode decl = Field(c, "declarator");
          TSNode value = Field(c, "value");
          TSNode trailing{};
          std::string name = DeclName(decl);
          if (name.empty()) continue;
          if (fn_body_depth_ > 0 && !Null(value)) NoteAddressOf(decl, value);
          ir::Id v = ir::kNone;
          if (!Null(value)) {
            if (Type(value) == "argument_list") {
              // std::string s(x) / Foo f(a, b): a constructor call.
              ir::Id id = NewExpr(ir::ExprKind::kNew, value);
              E(id).s = type;
              for (TSNode a : Named(value)) {
                ir::Id k = Expr(a);  // may grow m_.exprs: take E(id) after
                E(id).kids.push_back(k);
              }
              v = id;
            } else if (Type(value) == "initializer_list") {
              v = ListOf(value);
            } else if (TSNode rest{}; MisparsedPointerArrayNew(value, rest)) {
              // `T **p = new T*[n]; next;` read as `new T * [n] next`:
              // p is the array, and the next statement still runs.
              v = Expr(Field(value, "left"));
              if (fn_body_depth_ > 0) trailing = rest;
            } else {
              v = Expr(value);
            }
          }
          if (Type(decl) == "array_declarator") v = SizedArray(decl, type_node, value, v);
          if (t == "declaration" && Type(decl) != "reference_declarator") {
            NoteStorage(name, Type(decl) == "array_declarator");
          }
          out.push_back(Assign(Name(name, c), v, n, type));
          S(out.back()).indirect = Type(decl) == "pointer_declarator" || Type(decl) == "array_declarator";
          if (!Null(trailing)) ExprStmt(trailing, out);
          if (fn_body_depth_ == 0) m_.field_types[name] = type;  // a member or global, not a local
          if (fn_body_depth_ == 0 && t == "field_declaration" && !cls_.empty()) {
            m_.class_fields[cls_].emplace_back(name, type);
          }
        } else if (ct == "identifier" || ct == "pointer_declarator" || ct == "array_declarator" ||
                   ct == "reference_declarator" || ct == "field_identifier") {
          std::string name = DeclName(c);
          if (name.empty()) continue;
          if (t == "declaration" && ct != "reference_declarator") NoteStorage(name, ct == "array_declarator");
          // A member with a default (`static constexpr const char *k = "x";`),
          // else a declaration without initializer: a fresh, clean variable.
          TSNode member_default = t == "field_declaration" ? Field(n, "default_value") : TSNode{};
          if (t == "field_declaration" && !Null(member_default) && !ts_node_eq(member_default, c)) {
            out.push_back(Assign(Name(name, c), Expr(member_default), n, type));
          } else {
            ir::Id fresh = NewExpr(ir::ExprKind::kList, c);
            if (ct == "array_declarator" && t == "declaration") fresh = SizedArray(c, type_node, TSNode{}, fresh);
            out.push_back(Assign(Name(name, c), fresh, n, type));
            S(out.back()).indirect = ct == "pointer_declarator" || ct == "array_declarator";
            // `int n;` / `char *p;` in a function: garbage until assigned
            // (a static or extern one is zero or defined elsewhere).
            // Not in a body that did not parse (an unexpanded macro before a
            // `for` can swallow its initialization), nor `if (T *p = f())`.
            if (fn_body_depth_ > 0) uninit_stmts_.push_back(out.back());
            S(out.back()).uninitialized = t == "declaration" && fn_body_depth_ > 0 && !body_has_error_ &&
                                          !body_has_asm_ && !StaticOrExtern(n) && Null(Field(n, "value")) &&
                                          Type(ts_node_parent(n)) != "for_statement" &&
                                          PointersOnly(c) && !Null(type_node) &&
                                          (ct == "pointer_declarator" || Type(type_node) == "primitive_type" ||
                                           Type(type_node) == "sized_type_specifier" ||
                                           Type(type_node) == "type_identifier");
          }
          if (fn_body_depth_ == 0) m_.field_types[name] = type;  // a member or global, not a local
          if (fn_body_depth_ == 0 && t == "field_declaration" && !cls_.empty()) {
            m_.class_fields[cls_].emplace_back(name, type);
          }
        } else if (ct == "function_declarator") {
          // A prototype, or inside a function body the "most vexing parse" of
          // `std::string s(buf);`: a variable constructed from other variables.
          if (fn_body_depth_ > 0) VexingDeclaration(c, type, n, out);
        }
      }
    } else if (t == "expression_statement") {
      for (TSNode c : Named(n)) ExprStmt(c, out);
    } else if (t == "return_statement" || t == "co_return_statement") {
      ir::Id s = NewStmt(ir::StmtKind::kReturn, n);
      auto kids = Named(n);
      ir::Id v = kids.empty() ? ir::kNone : Expr(kids[0]);
      S(s).a = v;
      out.push_back(s);
    } else if (t == "if_statement") {
      ir::Id s = NewStmt(ir::StmtKind::kIf, n);
      ir::Id cond = Condition(Field(n, "condition"), out);
      ir::Id body = LowerBlock(Field(n, "consequence"));
      S(s).a = cond;
      S(s).body = {body};
      TSNode alt = Field(n, "alternative");
      if (!Null(alt)) {
        std::vector<ir::Id> e;
        if (Type(alt) == "else_clause") {
          for (TSNode c : Named(alt)) Stmt(c, e);
        } else {
          Stmt(alt, e);
        }
        S(s).orelse = std::move(e);
      }
      out.push_back(s);
    } else if (t == "while_statement" || t == "do_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      std::vector<ir::Id> body;
      ir::Id cond = Condition(Field(n, "condition"), body);
      cond_assign_ |= HasAssignment(Field(n, "condition"));
      if (t == "while_statement" && body.empty()) S(loop).a = cond;
      breakable_.push_back(true);
      Stmt(Field(n, "body"), body);
      breakable_.pop_back();
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "for_statement") {
      TSNode init = Field(n, "initializer");
      if (!Null(init)) {
        if (Type(init) == "declaration") Stmt(init, out);
        else ExprStmt(init, out);
      }
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      // The condition: a loop that cannot start is skipped, and its bound
      // limits the counter inside the body.
      TSNode cond = Field(n, "condition");
      cond_assign_ |= HasAssignment(cond);
      if (!Null(cond)) {
        ir::Id c = Expr(cond);
        S(loop).a = c;
      }
      std::vector<ir::Id> body;
      breakable_.push_back(true);
      Stmt(Field(n, "body"), body);
      breakable_.pop_back();
      TSNode update = Field(n, "update");
      if (!Null(update)) WithOwnPre(body, [&](std::vector<ir::Id>& o) { ExprStmt(update, o); });
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "for_range_loop") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id iter = Expr(Field(n, "right"));
      ir::Id elem = NewExpr(ir::ExprKind::kIndex, n);
      E(elem).kids = {iter, NewExpr(ir::ExprKind::kUnknown, n)};
      std::vector<ir::Id> body;
      std::string name = DeclName(Field(n, "declarator"));
      if (!name.empty()) body.push_back(Assign(Name(name, n), elem, n, SimpleType(Text(Field(n, "type")))));
      breakable_.push_back(true);
      Stmt(Field(n, "body"), body);
      breakable_.pop_back();
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "switch_statement") {
      breakable_.push_back(false);  // its `break`s leave the switch, not a loop
      LowerSwitch(n, out);
      breakable_.pop_back();
    } else if (t == "try_statement") {
      ++try_depth_;
      Stmt(Field(n, "body"), out);
      --try_depth_;
      for (TSNode c : Named(n)) {
        if (Type(c) == "catch_clause") {
          ir::Id s = NewStmt(ir::StmtKind::kIf, c);
          std::vector<ir::Id> body;
          Stmt(Field(c, "body"), body);
          S(s).body = std::move(body);
          out.push_back(s);
        }
      }
    } else if (t == "throw_statement") {
      for (TSNode c : Named(n)) ExprStmt(c, out);
      EndPath(n, out);
    } else if (t == "preproc_def") {
      // #define NAME 42 / #define NAME "text": a constant the engine can fold
      // in conditions (dead branches guarded by configuration macros).
      TSNode name = Field(n, "name");
      TSNode value = Field(n, "value");
      if (Null(name) || Null(value)) return;
      std::string_view v = Text(value);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '(')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\n' || v.back() == '\r' ||
                            v.back() == ')')) {
        v.remove_suffix(1);
      }
      ir::Id value_id = ir::kNone;
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"' &&
          v.substr(1, v.size() - 2).find_first_of("\"\\") == std::string_view::npos) {
        value_id = Str(std::string(v.substr(1, v.size() - 2)), value);
      } else if (!v.empty()) {
        std::int64_t iv = 0;
        bool ok = false;
        ParseInt(v, iv, ok);
        if (ok) value_id = Int(iv, value);
      }
      if (value_id != ir::kNone) {
        out.push_back(Assign(Name(std::string(Text(name)), name), value_id, n));
      } else if (IsIdentifier(v) && v != Text(name)) {
        // #define EXECL execl / #define ARG data: an alias the preprocessor
        // would substitute. Portability headers pick one spelling per
        // platform under #ifdef; the first definition stands for all (the
        // models name every platform's spelling).
        macro_alias_.emplace(std::string(Text(name)), std::string(v));
      }
    } else if (t == "continue_statement") {
      out.push_back(NewStmt(ir::StmtKind::kContinue, n));
    } else if (t == "break_statement" && !breakable_.empty() && breakable_.back()) {
      out.push_back(NewStmt(ir::StmtKind::kBreak, n));
    } else if (t == "break_statement" || t == "goto_statement" ||
               t == "comment" || t == "preproc_include" ||
               t == "preproc_function_def" || t == "preproc_call" || t == "using_declaration" ||
               t == "alias_declaration" || t == "type_definition" || t == "enum_specifier" ||
               t == "static_assert_declaration" || t == "namespace_alias_definition" ||
               t == "access_specifier" || t == "friend_declaration" || t == "concept_definition") {
      // no data flow we model
    } else if (t.find("expression") != std::string_view::npos) {
      ExprStmt(n, out);
    } else {
      LowerChildren(n, out);
    }
  }

  ir::Id LowerExpr(TSNode n) override {
    std::string_view t = Type(n);
    if (t == "identifier") {
      auto alias = macro_alias_.find(std::string(Text(n)));
      if (alias != macro_alias_.end()) return Name(alias->second, n);
      std::string name(Text(n));
      // A file-level array read in a function is the address of static
      // storage (unless a local or parameter of the same name hides it).
      const bool static_array = fn_body_depth_ > 0 && !file_arrays_.empty() && file_arrays_.count(name) &&
                                !own_locals_.count(name) && !fn_params_.count(name);
      ir::Id id = Name(std::move(name), n);
      if (static_array) E(id).storage = 2;
      return id;
    }
    if (t == "field_identifier" || t == "namespace_identifier") {
      return Name(std::string(Text(n)), n);
    }
    if (t == "qualified_identifier") {
      // std::system -> Name "std::system"; models strip "std::".
      std::string text;
      for (char c : Text(n)) {
        if (c != ' ' && c != '\n') text.push_back(c);
      }
      return Name(text, n);
    }
    if (t == "this") return NewExpr(ir::ExprKind::kThis, n);
    if (t == "string_literal" || t == "raw_string_literal") {
      std::string value;
      for (TSNode c : Named(n)) {
        std::string_view ct = Type(c);
        if (ct == "string_content" || ct == "raw_string_content") value += Text(c);
        else if (ct == "escape_sequence") value += Unescape(Text(c));
      }
      return Str(value, n);
    }
    if (t == "concatenated_string") {
      std::string value;
      bool all_const = true;
      for (TSNode c : Named(n)) {
        ir::Id k = Expr(c);
        if (k != ir::kNone && E(k).kind == ir::ExprKind::kConst) value += E(k).s;
        else all_const = false;  // a macro between literals (PRIu64)
      }
      if (all_const) return Str(value, n);
      return Unknown(n);
    }
    if (t == "char_literal") {
      std::string value;
      for (TSNode c : Named(n)) {
        if (Type(c) == "character") value += Text(c);
        else if (Type(c) == "escape_sequence") value += Unescape(Text(c));
      }
      return Str(value, n);
    }
    if (t == "number_literal") {
      std::int64_t v = 0;
      bool ok = false;
      ParseInt(Text(n), v, ok);
      return ok ? Int(v, n) : NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "true") return Bool(true, n);
    if (t == "false") return Bool(false, n);
    if (t == "null" || t == "nullptr") return NullConst(n);
    if (t == "field_expression") {
      ir::Id o = Expr(Field(n, "argument"));
      return Attr(o, std::string(Text(Field(n, "field"))), n);
    }
    if (t == "subscript_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kIndex, n);
      ir::Id a = Expr(Field(n, "argument"));
      TSNode index = Field(n, "index");
      if (Null(index)) index = Field(n, "indices");
      ir::Id i = Expr(index);
      E(id).kids = {a, i == ir::kNone ? NewExpr(ir::ExprKind::kUnknown, n) : i};
      return id;
    }
    if (t == "call_expression") {
      TSNode fn = Field(n, "function");
      // static_cast<T>(x) and its kin are x, as a C cast is.
      if (!Null(fn) && Type(fn) == "template_function") {
        const std::string_view name = Text(Field(fn, "name"));
        TSNode args = Field(n, "arguments");
        if ((name == "static_cast" || name == "reinterpret_cast" || name == "const_cast" ||
             name == "dynamic_cast") &&
            !Null(args) && ts_node_named_child_count(args) == 1) {
          return Expr(ts_node_named_child(args, 0));
        }
      }
      ir::Id id = NewExpr(ir::ExprKind::kCall, n);
      ir::Id callee;
      if (!Null(fn) && Type(fn) == "template_function") callee = Name(std::string(Text(Field(fn, "name"))), fn);
      else callee = Expr(fn);
      std::vector<ir::Id> kids{callee};
      TSNode args = Field(n, "arguments");
      if (!Null(args)) {
        for (TSNode a : Named(args)) kids.push_back(Expr(a));
      }
      E(id).kids = std::move(kids);
      E(id).keys.assign(E(id).kids.size() - 1, std::string());
      return id;
    }
    if (t == "new_expression") {
      // new char[n]: a heap buffer of n elements (an array `new`).
      TSNode nd = Field(n, "declarator");
      if (!Null(nd) && Type(nd) == "new_declarator") {
        const std::int64_t elem = ir::CScalarSize(Text(Field(n, "type")));
        TSNode length = Field(nd, "length");
        // Of a type whose size is not known here (a struct, a class), the
        // buffer has no size but is still an array `new` (size 0).
        if (!Null(length) && !HasChild(nd, "new_declarator") && Null(Field(n, "placement"))) {
          ir::Id id = NewExpr(ir::ExprKind::kNew, n);
          ir::Id count = Expr(length);
          ir::Id size = Int(elem > 0 ? elem : 0, n);
          E(id).s = "<new[]>";
          E(id).kids = {count, size};
          return id;
        }
      }
      // new T[n][m]: still an array `new`, of no known size. So is
      // `new T*[n]`, which the grammar reads as `new T` followed (in its
      // expression or its declaration) by an ERROR holding `[n]` as a
      // lambda capture.
      TSNode after{};
      for (TSNode at = n; Null(after) && !Null(at) && Type(at) != "declaration"; at = ts_node_parent(at)) {
        after = ts_node_next_named_sibling(at);
        if (Type(at) == "init_declarator") break;
      }
      const bool pointer_array = !Null(after) && Type(after) == "ERROR" && ts_node_named_child_count(after) > 0 &&
                                 Type(ts_node_named_child(after, 0)) == "lambda_capture_specifier";
      if (((!Null(nd) && HasNewDeclarator(nd)) || pointer_array) && Null(Field(n, "placement"))) {
        ir::Id id = NewExpr(ir::ExprKind::kNew, n);
        ir::Id count = Int(0, n);
        ir::Id size = Int(0, n);
        E(id).s = "<new[]>";
        E(id).kids = {count, size};
        return id;
      }
      ir::Id id = NewExpr(ir::ExprKind::kNew, n);
      E(id).s = SimpleType(Text(Field(n, "type")));
      // `new (buf) T(...)` builds in memory that is already there.
      if (Null(Field(n, "placement"))) E(id).storage = 3;
      TSNode args = Field(n, "arguments");
      if (!Null(args)) {
        for (TSNode a : Named(args)) {
          ir::Id k = Expr(a);  // may grow m_.exprs: take E(id) after
          E(id).kids.push_back(k);
        }
      }
      return id;
    }
    if (t == "delete_expression") {
      // delete p / delete[] p: a call to `delete` / `delete[]`, which the
      // release models name.
      bool array = false;
      TSNode operand{};
      const std::uint32_t count = ts_node_child_count(n);
      for (std::uint32_t k = 0; k < count; ++k) {
        TSNode c = ts_node_child(n, k);
        if (Type(c) == "[") array = true;
        if (ts_node_is_named(c)) operand = c;
      }
      if (Null(operand) || ts_node_is_missing(operand) || Type(operand) == "ERROR") return Unknown(n);
      ir::Id callee = Name(array ? "delete[]" : "delete", n);
      ir::Id arg = Expr(operand);
      ir::Id id = NewExpr(ir::ExprKind::kCall, n);
      E(id).kids = {callee, arg};
      E(id).keys.assign(1, std::string());
      return id;
    }
    if (TSNode rest{}; t == "binary_expression" && MisparsedPointerArrayNew(n, rest)) {
      return Expr(Field(n, "left"));  // the array `new`; the misread rest is dropped
    }
    if (t == "binary_expression") {
      ir::Id l = Expr(Field(n, "left"));
      ir::Id r = Expr(Field(n, "right"));
      return Binary(std::string(Type(Field(n, "operator"))), l, r, n);
    }
    if (t == "unary_expression") {
      return Unary(std::string(Type(Field(n, "operator"))), Expr(Field(n, "argument")), n);
    }
    if (t == "pointer_expression") {
      // &x and *x carry x's taint; keep the operand's path (out-params).
      // *p where p = &x in this function reads and writes x.
      TSNode arg = Field(n, "argument");
      if (Type(Field(n, "operator")) == "*" && Type(arg) == "identifier") {
        auto alias = ptr_alias_.find(std::string(Text(arg)));
        if (alias != ptr_alias_.end() && !alias->second.empty()) return Name(alias->second, n);
      }
      ir::Id operand = Expr(arg);
      const std::string_view op = Type(Field(n, "operator"));
      if (operand != ir::kNone && (op == "*" || op == "&")) E(operand).pointer_op = op[0];
      if (operand != ir::kNone && op == "&" && Type(arg) == "identifier") {
        const std::string x(Text(arg));
        E(operand).storage = own_locals_.count(x) ? 1 : file_vars_.count(x) ? 2 : 0;
      }
      return operand;
    }
    if (t == "conditional_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kCond, n);
      ir::Id c = Expr(Field(n, "condition"));
      ir::Id a = Expr(Field(n, "consequence"));
      ir::Id b = Expr(Field(n, "alternative"));
      E(id).kids = {c, a, b};
      return id;
    }
    if (t == "cast_expression") return Expr(Field(n, "value"));
    if (t == "assignment_expression") {
      std::vector<ir::Id> tmp;
      ExprStmt(n, tmp);
      for (ir::Id s : tmp) EmitPre(s);
      return AssignedValue(tmp, n);
    }
    if (t == "initializer_list") return ListOf(n);
    if (t == "lambda_expression") {
      ir::Function f;
      f.is_lambda = true;
      f.cls = cls_;
      f.line = ts_node_start_point(n).row + 1;
      TSNode decl = Field(n, "declarator");
      if (!Null(decl)) Params(Field(decl, "parameters"), f);
      std::size_t index = AddFunction(std::move(f));
      m_.functions[index].body = LowerBlock(Field(n, "body"));
      ir::Id id = NewExpr(ir::ExprKind::kFunc, n);
      E(id).i = static_cast<std::int64_t>(index);
      return id;
    }
    if (t == "sizeof_expression") {
      // sizeof(char) and friends are constants; sizeof(buf) is the size of
      // a declared array, which the engine knows (kUnknown "sizeof").
      TSNode type = Field(n, "type");
      TSNode value = Field(n, "value");
      if (!Null(type)) {
        std::string_view text = Text(type);
        if (const std::int64_t size = ir::CScalarSize(text); size > 0) return Int(size, n);
        if (IsIdentifier(text)) value = type;  // sizeof(buf) parsed as a type name
        else return NewExpr(ir::ExprKind::kUnknown, n);
      }
      while (!Null(value) && Type(value) == "parenthesized_expression" && !Named(value).empty()) value = Named(value)[0];
      if (Null(value) || (Type(value) != "identifier" && Type(value) != "type_descriptor")) {
        return NewExpr(ir::ExprKind::kUnknown, n);
      }
      ir::Id id = NewExpr(ir::ExprKind::kUnknown, n);
      ir::Id target = Name(std::string(Text(value)), value);
      E(id).s = "sizeof";
      E(id).kids = {target};
      return id;
    }
    if (t == "alignof_expression" || t == "offsetof_expression") {
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "compound_literal_expression") return Expr(Field(n, "value"));
    if (t == "update_expression") {
      auto kids = Named(n);
      return UpdateExpr(n, kids.empty() ? TSNode{} : kids[0]);
    }
    if (t == "parenthesized_expression" || t == "comma_expression" || t == "co_await_expression") {
      return Unknown(n);
    }
    if (t == "user_defined_literal") {
      // "..."s / "..."sv: the literal itself.
      auto kids = Named(n);
      if (!kids.empty()) return Expr(kids[0]);
    }
    return Unknown(n);
  }

 private:
  ir::Id ListOf(TSNode n) {
    ir::Id id = NewExpr(ir::ExprKind::kList, n);
    for (TSNode c : Named(n)) {
      ir::Id k = Expr(c);
      E(id).kids.push_back(k);
    }
    return id;
  }

  // `if (int n = f(); n > 0)` and `if (x)`: initializers become statements.
  ir::Id Condition(TSNode cond, std::vector<ir::Id>& out) {
    if (Null(cond)) return ir::kNone;
    if (Type(cond) == "condition_clause") {
      TSNode init = Field(cond, "initializer");
      if (!Null(init)) Stmt(init, out);
      TSNode value = Field(cond, "value");
      if (!Null(value) && Type(value) == "declaration") {
        Stmt(value, out);
        return ir::kNone;
      }
      return Expr(value);
    }
    return Expr(cond);
  }

  // `#if`/`#ifdef` inside a function: the build keeps one branch, not both
  // in a row (`close(fd)` under HAVE_STAT, `fclose(fd)` otherwise), so it
  // is a branch whose condition is unknown, except a literal `#if 0` / `#if 1`.
  // At file level the branches stay in a row: portability headers define
  // the same names under each, and the first definition stands for all.
  void PreprocBranch(TSNode n, std::vector<ir::Id>& out) {
    TSNode cond = Field(n, "condition");
    TSNode name = Field(n, "name");
    TSNode alt = Field(n, "alternative");
    ir::Id c = !Null(cond) && Type(cond) == "number_literal" ? Expr(cond) : ir::kNone;
    std::vector<ir::Id> body, orelse;
    for (TSNode k : Named(n)) {
      if (ts_node_eq(k, cond) || ts_node_eq(k, name) || ts_node_eq(k, alt)) continue;
      Stmt(k, body);
    }
    if (!Null(alt)) Stmt(alt, orelse);
    ir::Id id = NewStmt(ir::StmtKind::kIf, n);
    S(id).a = c;
    S(id).body = std::move(body);
    S(id).orelse = std::move(orelse);
    out.push_back(id);
  }

  // `new T*[n]; next` read by the grammar as the product of `new T`, an
  // ERROR holding `[n]` and `next`: true with `rest` = next.
  bool MisparsedPointerArrayNew(TSNode n, TSNode& rest) {
    if (Type(n) != "binary_expression" || Type(Field(n, "operator")) != "*") return false;
    TSNode left = Field(n, "left");
    if (Null(left) || Type(left) != "new_expression") return false;
    TSNode after = ts_node_next_named_sibling(left);
    if (Null(after) || Type(after) != "ERROR" || ts_node_named_child_count(after) == 0 ||
        Type(ts_node_named_child(after, 0)) != "lambda_capture_specifier") {
      return false;
    }
    rest = Field(n, "right");
    return true;
  }

  // `n`, `*p`, `**p`: a scalar or a pointer, not an array (`*a[5]`) or a
  // function.
  bool PointersOnly(TSNode d) {
    for (int depth = 0; depth < 8 && !Null(d); ++depth) {
      const std::string_view t = Type(d);
      if (t == "identifier") return true;
      if (t != "pointer_declarator") return false;
      d = Field(d, "declarator");
    }
    return false;
  }

  // An assignment (`=`, `+=`, `++`...) somewhere in a condition's text.
  bool HasAssignment(TSNode cond) {
    if (Null(cond)) return false;
    const std::string_view t = Text(cond);
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '+' && i + 1 < t.size() && t[i + 1] == '+') return true;
      if (t[i] == '-' && i + 1 < t.size() && t[i + 1] == '-') return true;
      if (t[i] != '=') continue;
      const char before = i > 0 ? t[i - 1] : ' ';
      const char after = i + 1 < t.size() ? t[i + 1] : ' ';
      if (after == '=') {
        ++i;
        continue;
      }
      if (before != '=' && before != '!' && before != '<' && before != '>') return true;
    }
    return false;
  }

  // `static int n;`, `extern char *p;`: not on the stack.
  bool StaticOrExtern(TSNode declaration) {
    for (TSNode k : Named(declaration)) {
      if (Type(k) != "storage_class_specifier") continue;
      const std::string_view s = Text(k);
      if (s == "static" || s == "extern" || s == "thread_local" || s == "_Thread_local") return true;
    }
    return false;
  }

  // A `[n]` declarator anywhere in a new-expression's declarator chain.
  bool HasNewDeclarator(TSNode n, int depth = 0) {
    if (Type(n) == "new_declarator") return true;
    if (depth > 8) return false;
    for (TSNode k : Named(n)) {
      if (HasNewDeclarator(k, depth + 1)) return true;
    }
    return false;
  }

  bool HasChild(TSNode n, std::string_view type) {
    for (TSNode k : Named(n)) {
      if (Type(k) == type) return true;
    }
    return false;
  }

  // `T name[N]` (optionally `= init`): an array of N elements whose value is
  // `value`, as kNew "<array>" with kids {N, sizeof(T), value}. N may be
  // left out when a string or an initializer list gives it. Arrays of
  // arrays, of pointers or of unknown types keep `value` as it is.
  ir::Id SizedArray(TSNode decl, TSNode type_node, TSNode init, ir::Id value) {
    if (Null(type_node)) return value;
    TSNode inner = Field(decl, "declarator");
    if (Null(inner) || Type(inner) != "identifier") return value;  // a[2][3], *a[4]
    const std::int64_t elem = ir::CScalarSize(Text(type_node));
    if (elem <= 0) return value;
    TSNode size = Field(decl, "size");
    ir::Id count = ir::kNone;
    if (!Null(size)) {
      count = Expr(size);
    } else if (!Null(init) && Type(init) == "string_literal") {
      std::size_t chars = 0;
      for (TSNode k : Named(init)) {
        if (Type(k) == "string_content") chars += Text(k).size();
        else if (Type(k) == "escape_sequence") ++chars;
      }
      count = Int(static_cast<std::int64_t>(chars + 1), init);
    } else if (!Null(init) && Type(init) == "initializer_list") {
      count = Int(static_cast<std::int64_t>(Named(init).size()), init);
    } else {
      return value;
    }
    ir::Id id = NewExpr(ir::ExprKind::kNew, decl);
    ir::Id unit = Int(elem, decl);
    E(id).s = "<array>";
    E(id).kids = {count, unit, value};
    return id;
  }

  std::string DeclName(TSNode d) {
    while (!Null(d)) {
      std::string_view t = Type(d);
      if (t == "identifier" || t == "field_identifier") return std::string(Text(d));
      if (t == "qualified_identifier" || t == "operator_name" || t == "destructor_name") {
        return std::string(Text(d));
      }
      TSNode inner = Field(d, "declarator");
      if (Null(inner)) {
        auto kids = Named(d);
        if (kids.empty()) return {};
        inner = kids.back();
        if (ts_node_eq(inner, d)) return {};
      }
      d = inner;
    }
    return {};
  }

  void Params(TSNode params, ir::Function& f) {
    if (Null(params)) return;
    // `...`: a named node in the C grammar, an anonymous token in C++. A
    // cursor visits every child once; ts_node_child(k) rescans from the first.
    TSTreeCursor cursor = ts_tree_cursor_new(params);
    for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
      std::string_view ct = Type(ts_tree_cursor_current_node(&cursor));
      if (ct == "..." || ct == "variadic_parameter_declaration") f.variadic = true;
    }
    ts_tree_cursor_delete(&cursor);
    for (TSNode p : Named(params)) {
      std::string_view pt = Type(p);
      if (pt == "variadic_parameter") f.variadic = true;
      if (pt != "parameter_declaration" && pt != "optional_parameter_declaration") continue;
      TSNode declarator = Field(p, "declarator");
      // f(void) takes no parameters.
      if (Null(declarator) && Text(p) == "void") continue;
      ir::Param param;
      param.name = DeclName(declarator);
      TSNode type = Field(p, "type");
      if (!Null(type)) param.type = SimpleType(Text(type));
      param.out = OutParam(p);
      param.indirect = !Null(declarator) && (Type(declarator) == "pointer_declarator" ||
                                             Type(declarator) == "array_declarator");
      f.params.push_back(std::move(param));
    }
  }

  void LowerFunction(TSNode n) {
    ir::Function f;
    TSNode decl = Field(n, "declarator");
    // Walk through pointer/reference declarators to the function declarator.
    while (!Null(decl) && Type(decl) != "function_declarator") {
      TSNode inner = Field(decl, "declarator");
      if (Null(inner)) break;
      decl = inner;
    }
    if (Null(decl) || Type(decl) != "function_declarator") return;
    std::string name = DeclName(Field(decl, "declarator"));
    f.cls = cls_;
    std::size_t sep = name.rfind("::");
    if (sep != std::string::npos) {
      std::string scope = name.substr(0, sep);
      std::size_t prev = scope.rfind("::");
      f.cls = prev == std::string::npos ? scope : scope.substr(prev + 2);
      name = name.substr(sep + 2);
    }
    f.name = name;
    f.line = ts_node_start_point(n).row + 1;
    Params(Field(decl, "parameters"), f);
    std::size_t index = AddFunction(std::move(f));
    TSNode body = Field(n, "body");
    ++fn_body_depth_;
    const bool saved_error = body_has_error_;
    body_has_error_ = !Null(body) && ts_node_has_error(body);
    const bool saved_cond_assign = cond_assign_;
    cond_assign_ = false;
    auto saved_uninit = std::move(uninit_stmts_);
    uninit_stmts_.clear();
    // Inline assembly writes its output operands, which nothing here reads.
    const bool saved_asm = body_has_asm_;
    body_has_asm_ = !Null(body) && (Text(body).find("asm") != std::string_view::npos);
    auto saved_alias = std::move(ptr_alias_);
    ptr_alias_.clear();
    auto saved_locals = std::move(own_locals_);
    own_locals_.clear();
    auto saved_params = std::move(fn_params_);
    fn_params_.clear();
    for (const ir::Param& p : m_.functions[index].params) fn_params_.insert(p.name);
    ir::Id block = Null(body) ? Block(n, {}) : LowerBlock(body);
    // Constructor member initializers run first: Job(const char *c) : cmd_(c) {}
    std::vector<ir::Id> inits;
    for (TSNode c : Named(n)) {
      if (Type(c) != "field_initializer_list") continue;
      for (TSNode fi : Named(c)) {
        if (Type(fi) != "field_initializer") continue;
        std::string field;
        ir::Id value = ir::kNone;
        for (TSNode k : Named(fi)) {
          std::string_view kt = Type(k);
          if (kt == "field_identifier" || kt == "identifier") field = std::string(Text(k));
          else if (kt == "argument_list" || kt == "initializer_list") {
            auto args = Named(k);
            if (args.size() == 1) value = Expr(args[0]);
            else if (!args.empty()) value = ListOf(k);
          }
        }
        if (field.empty() || value == ir::kNone) continue;
        ir::Id target = Attr(NewExpr(ir::ExprKind::kThis, fi), field, fi);
        inits.push_back(Assign(target, value, fi));
      }
    }
    if (!inits.empty()) {
      auto& stmts = S(block).body;
      stmts.insert(stmts.begin(), inits.begin(), inits.end());
    }
    m_.functions[index].body = block;
    ptr_alias_ = std::move(saved_alias);
    own_locals_ = std::move(saved_locals);
    body_has_error_ = saved_error;
    // A loop condition that assigns (`while ((c = next()) != EOF)`) is not
    // followed closely enough to tell a first read from a later one.
    if (cond_assign_) {
      for (ir::Id sid : uninit_stmts_) S(sid).uninitialized = false;
    }
    cond_assign_ = saved_cond_assign;
    uninit_stmts_ = std::move(saved_uninit);
    body_has_asm_ = saved_asm;
    fn_params_ = std::move(saved_params);
    --fn_body_depth_;
  }

  // `T name(a, b);` in a body, parsed as a function declarator whose
  // "parameter types" are really argument names.
  void VexingDeclaration(TSNode c, const std::string& type, TSNode stmt, std::vector<ir::Id>& out) {
    std::string name = DeclName(Field(c, "declarator"));
    TSNode params = Field(c, "parameters");
    if (name.empty() || Null(params)) return;
    std::vector<ir::Id> args;
    for (TSNode p : Named(params)) {
      if (Type(p) != "parameter_declaration") return;
      TSNode pt = Field(p, "type");
      if (Null(pt) || Type(pt) != "type_identifier") return;
      ir::Id arg = Name(std::string(Text(pt)), pt);
      TSNode d = Field(p, "declarator");
      if (!Null(d)) {
        // `T v(argv[1]);` reads as a parameter of type argv, array of 1.
        TSNode size = Field(d, "size");
        if (Type(d) != "abstract_array_declarator" || Null(size) || !Null(Field(d, "declarator"))) return;
        ir::Id index = Expr(size);
        ir::Id e = NewExpr(ir::ExprKind::kIndex, p);
        E(e).kids = {arg, index};
        arg = e;
      }
      args.push_back(arg);
    }
    ir::Id id = NewExpr(ir::ExprKind::kNew, params);
    E(id).s = type;
    E(id).kids = std::move(args);
    out.push_back(Assign(Name(name, c), id, stmt, type));
  }

  void ExprStmt(TSNode n, std::vector<ir::Id>& out) {
    if (Null(n)) return;
    if (Type(n) == "assignment_expression") {
      if (Type(Field(n, "left")) == "identifier") NoteAddressOf(Field(n, "left"), Field(n, "right"));
      ir::Id target = Expr(Field(n, "left"));
      ir::Id value = Expr(Field(n, "right"));
      ir::Id s = Assign(target, value, n);
      std::string op(Type(Field(n, "operator")));
      if (op.size() > 1 && op.back() == '=') {
        op.pop_back();
        S(s).op = op;
      }
      out.push_back(s);
      return;
    }
    if (Type(n) == "comma_expression") {
      for (TSNode c : Named(n)) ExprStmt(c, out);
      return;
    }
    ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
    ir::Id e = Expr(n);
    S(s).a = e;
    out.push_back(s);
  }

  void LowerSwitch(TSNode n, std::vector<ir::Id>& out) {
    std::vector<ir::Id> pre;
    ir::Id subject = Condition(Field(n, "condition"), pre);
    out.insert(out.end(), pre.begin(), pre.end());
    TSNode body = Field(n, "body");
    if (Null(body)) return;
    std::vector<SwitchArm> arms;
    for (TSNode c : Named(body)) {
      if (Type(c) != "case_statement") {
        Stmt(c, out);
        continue;
      }
      SwitchArm arm;
      arm.at = c;
      TSNode value = Field(c, "value");
      for (TSNode k : Named(c)) {
        if (!Null(value) && ts_node_eq(k, value)) continue;
        Stmt(k, arm.body);
      }
      arm.is_default = Null(value);
      if (!arm.is_default) arm.labels.push_back(Expr(value));
      arms.push_back(std::move(arm));
    }
    SwitchChain(subject, "==", std::move(arms), out);
  }

  // `char *buf`, `char buf[]`, `std::string& s`: the callee can write into the
  // caller's object. `const char *s` / `const T&` cannot.
  bool OutParam(TSNode p) {
    bool indirect = false;
    for (TSNode d = Field(p, "declarator"); !Null(d); d = Field(d, "declarator")) {
      std::string_view t = Type(d);
      if (t == "pointer_declarator" || t == "array_declarator" || t == "reference_declarator") indirect = true;
      if (t == "reference_declarator") {  // its declarator is an unnamed child, not a field
        auto kids = Named(d);
        if (kids.empty()) break;
        d = kids.back();
        if (Type(d) == "identifier") break;
      }
    }
    if (!indirect) return false;
    for (TSNode c : Named(p)) {
      if (Type(c) == "type_qualifier" && Text(c) == "const") return false;
    }
    return true;
  }

  // A variable declared with storage of its own (not a reference): in a
  // function body a local, at file level a global (ir::Expr::storage).
  void NoteStorage(const std::string& name, bool array) {
    if (fn_body_depth_ > 0) {
      own_locals_.insert(name);
    } else {
      file_vars_.insert(name);
      if (array) file_arrays_.insert(name);
    }
  }

  // `T **p = &x;` / `p = &x;` inside a function: remember p -> x so `*p`
  // is x (pointer-to-pointer copies of a buffer pointer). Per function,
  // flow-insensitive: a pointer re-aimed at another variable drops out.
  void NoteAddressOf(TSNode target, TSNode value) {
    std::string p = DeclName(target);
    if (p.empty()) return;
    if (Type(value) == "pointer_expression" && Type(Field(value, "operator")) == "&" &&
        Type(Field(value, "argument")) == "identifier") {
      std::string x(Text(Field(value, "argument")));
      auto [it, fresh] = ptr_alias_.emplace(p, x);
      if (!fresh && it->second != x) it->second.clear();
    } else if (auto it = ptr_alias_.find(p); it != ptr_alias_.end()) {
      it->second.clear();
    }
  }

  static bool IsIdentifier(std::string_view v) {
    if (v.empty() || (v[0] >= '0' && v[0] <= '9')) return false;
    for (char c : v) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    // Storage classes and qualifiers (#define LOCAL static) are not names.
    static constexpr std::string_view kKeywords[] = {"static", "const", "volatile", "inline", "extern", "register",
                                                     "unsigned", "signed", "void", "int", "char", "long"};
    for (std::string_view k : kKeywords) {
      if (v == k) return false;
    }
    return true;
  }

  std::string cls_;
  int fn_body_depth_ = 0;
  // Enclosing loops (true) and switches (false), innermost last: whether a
  // `break` ends a loop.
  std::vector<bool> breakable_;
  std::unordered_map<std::string, std::string> macro_alias_;  // #define NAME other_name
  std::unordered_map<std::string, std::string> ptr_alias_;    // p -> x for p = &x ("" when ambiguous)
  std::unordered_set<std::string> own_locals_;  // the function's variables with storage of their own
  std::unordered_set<std::string> file_vars_;   // file-level variables
  std::unordered_set<std::string> file_arrays_;  // file-level arrays (their names are static addresses)
  std::unordered_set<std::string> fn_params_;    // the function's parameters
  bool body_has_error_ = false;                  // the function being lowered has ERROR nodes
  bool body_has_asm_ = false;                    // ... or inline assembly (its outputs are writes)
  bool cond_assign_ = false;                     // ... or a loop condition that assigns
  std::vector<ir::Id> uninit_stmts_;             // its local declarations without a value
};

}  // namespace

std::unique_ptr<Lowerer> MakeCLowerer(std::string_view source, ir::Module& module) {
  return std::make_unique<CLowerer>(source, module);
}

}  // namespace bulwark::review
