#pragma once
// Request body schemas: one declaration validates bodies and documents them
// in /openapi.json.

#include <cstdio>

#include "bulwark/core/check.h"
#include "bulwark/validate/schema.h"

namespace bulwark::service {

inline validate::Schema MustCompile(const validate::Rule& rule) {
  Result<validate::Schema> s = validate::Schema::Compile(rule);
  if (!s.ok()) std::fprintf(stderr, "schema: %s\n", s.error().ToString().c_str());
  BULWARK_CHECK(s.ok());
  return std::move(s).value();
}

// Passwords are passed on as typed (the hasher normalizes them); at most 128
// code points, the password policy's maximum.
inline validate::Rule PasswordRule() {
  return validate::Rule::String().Length(1, 128).WithNormalization(validate::Normalization::kNone);
}
// A name shown to people: not blank. At least one character must be
// something other than white space or another separator (U+00A0, U+3000,
// ...), a combining mark alone, or a control/format character: a name of
// only those shows as nothing. RE2's \\S alone is ASCII-only.
inline validate::Rule DisplayNameRule() {
  return validate::Rule::String()
      .Length(1, 64)
      .Pattern(".*[^\\s\\p{Z}\\p{M}\\p{C}].*")
      .Describe("the name shown to other people");
}
inline validate::Rule EmailRule() {
  return validate::Rule::String().MaxLength(254).WithFormat(validate::Format::kEmail);
}
inline validate::Rule TotpCodeRule() {
  return validate::Rule::String().Pattern("[0-9]{6,8}").Describe("the current code from the authenticator app");
}
inline validate::Rule BackupCodeRule() {
  return validate::Rule::String().Length(10, 32).Describe("an unused backup code");
}
// Re-authentication for a sensitive action: the password, and a second
// factor when TOTP is enrolled.
inline const validate::Schema& StepUpSchema() {
  static const validate::Schema s = MustCompile(validate::Rule::Object({
      validate::Field("password", PasswordRule()),
      validate::Field("totp_code", TotpCodeRule()).Optional(),
      validate::Field("backup_code", BackupCodeRule()).Optional(),
  }));
  return s;
}

}  // namespace bulwark::service
