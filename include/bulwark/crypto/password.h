#pragma once
// Password hashing with argon2id (libsodium), stored as PHC strings:
//   $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
// With a pepper (a server-side secret kept outside the database) the
// password is first keyed with HMAC-SHA256 and the pepper's id is recorded:
//   $argon2id$v=19$m=19456,t=2,p=1,keyid=<id>$<salt>$<hash>
// Passwords are normalized to Unicode NFKC first (NIST SP 800-63B 5.1.1.2),
// so the same password typed on different keyboards verifies.
//
// Legacy hashes are verified for migration only and always report
// needs_rehash: bcrypt ($2a$, $2b$, $2y$, via libxcrypt), PBKDF2-SHA256 in
// Django's (pbkdf2_sha256$iter$salt$hash) and passlib's
// ($pbkdf2-sha256$iter$salt$hash) formats.
//
//   auto hasher = PasswordHasher::Create({});
//   std::string stored = *hasher->Hash(password);
//   PasswordVerification v = *hasher->Verify(password, stored);
//   if (v.matched && v.needs_rehash) Store(*hasher->Hash(password));
//
// Hashing is deliberately slow and memory-hard: call it through a
// HashingPool (hashing_pool.h) on request paths so a login flood cannot
// exhaust CPU or memory.
//
// Thread-safety: PasswordHasher is immutable after Create; Hash and Verify
// may run concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::crypto {

struct Argon2Params {
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t iterations = 2;
  // libsodium computes argon2id with one lane; p is always 1.
};

enum class PasswordPreset {
  kOwaspMinimum,  // m=19 MiB, t=2: OWASP's minimum recommendation; the default
  kModerate,      // m=64 MiB, t=3
  kSensitive,     // m=256 MiB, t=4: admin and high-value accounts
};
Argon2Params PresetParams(PasswordPreset preset) noexcept;

struct Pepper {
  std::string id;    // 1-16 characters [A-Za-z0-9]; recorded in each hash
  SecretBytes key;   // at least 32 bytes
};

struct PasswordHasherOptions {
  Argon2Params params = PresetParams(PasswordPreset::kOwaspMinimum);
  // The pepper new hashes use. Hashes made with a pepper id listed in
  // `old_peppers` still verify (and report needs_rehash).
  std::optional<Pepper> pepper;
  std::vector<Pepper> old_peppers;
  // Longest accepted password, in bytes of UTF-8. Longer input is an error,
  // never silently truncated.
  std::size_t max_password_bytes = 4096;
};

struct [[nodiscard]] PasswordVerification {
  bool matched = false;
  // The stored hash should be replaced by Hash(password) (only meaningful
  // when matched): weaker parameters, another pepper, or a legacy format.
  bool needs_rehash = false;
};

class PasswordHasher {
 public:
  // Errors: kInvalidArgument for parameters below the OWASP minimum
  // (m < 19 MiB or t < 2, unless m >= 46 MiB with t = 1 is not allowed
  // either: bulwark keeps t >= 2), or a malformed pepper.
  static Result<PasswordHasher> Create(PasswordHasherOptions options);

  PasswordHasher(PasswordHasher&&) noexcept = default;
  PasswordHasher& operator=(PasswordHasher&&) noexcept = default;

  // Errors: kInvalidArgument (invalid UTF-8 or too long), kResourceExhausted
  // (out of memory for the hash).
  Result<std::string> Hash(const SecretString& password) const;

  // A wrong password is matched=false, not an error. Errors:
  // kInvalidArgument (the password is unusable), kDataLoss (the stored hash
  // is malformed or names parameters outside safe bounds),
  // kFailedPrecondition (it needs a pepper this hasher does not have).
  Result<PasswordVerification> Verify(const SecretString& password,
                                      std::string_view stored) const;

  // True when `stored` was not made with this hasher's current settings.
  bool NeedsRehash(std::string_view stored) const;

  const Argon2Params& params() const noexcept { return options_.params; }

 private:
  explicit PasswordHasher(PasswordHasherOptions options) : options_(std::move(options)) {}
  const Pepper* FindPepper(std::string_view id) const noexcept;

  PasswordHasherOptions options_;
};

// NIST SP 800-63B password rules: a length range counted in Unicode code
// points (at least 64 must be allowed; no truncation), no composition rules,
// and a check against common and easily guessed passwords (libzxcvbn's
// dictionaries, which include the most common leaked passwords) and against
// context words such as the user's name or email.
struct PasswordPolicyOptions {
  std::size_t min_code_points = 8;
  std::size_t max_code_points = 128;  // REQUIRES: >= 64
  bool reject_common = true;
  // Guessability floor (zxcvbn's entropy estimate in bits).
  double min_entropy_bits = 24.0;
};

// Stable codes for Check failures (for API error bodies).
enum class PasswordProblem {
  kInvalidUtf8,
  kTooShort,
  kTooLong,
  kCommon,       // a dictionary word or well-known password
  kTooGuessable, // low estimated entropy (repeats, sequences, keyboard walks)
  kContainsContext,
};
std::string_view PasswordProblemCode(PasswordProblem problem) noexcept;  // "too_short", ...

class PasswordPolicy {
 public:
  // Errors: kInvalidArgument if max < 64 or min > max.
  static Result<PasswordPolicy> Create(PasswordPolicyOptions options);

  // Returns the first problem found, or nullopt for an acceptable password.
  // `context` holds values the password must not be built from (email,
  // user name, service name).
  std::optional<PasswordProblem> Check(const SecretString& password,
                                       const std::vector<std::string>& context = {}) const;

 private:
  explicit PasswordPolicy(PasswordPolicyOptions options) : options_(options) {}
  PasswordPolicyOptions options_;
};

}  // namespace bulwark::crypto
