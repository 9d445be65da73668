#include "bulwark/crypto/password.h"

#include <crypt.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <utf8proc.h>
#include <zxcvbn.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/hmac.h"
#include "sodium_init.h"

namespace bulwark::crypto {
namespace {

// Bounds on parameters read from stored hashes: a hostile or corrupt row
// must not make one verification take gigabytes or minutes.
constexpr std::uint32_t kMaxMemoryKib = 1024 * 1024;  // 1 GiB
constexpr std::uint32_t kMaxIterations = 64;
constexpr std::uint32_t kMaxBcryptCost = 16;
constexpr std::uint32_t kMaxPbkdf2Iterations = 10'000'000;
constexpr std::size_t kMaxStoredHash = 512;

Error Malformed() { return Error(ErrorCode::kDataLoss, "stored password hash is malformed"); }

bool ValidPepperId(std::string_view id) {
  if (id.empty() || id.size() > 16) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool ParseU32(std::string_view text, std::uint32_t* out) {
  if (text.empty() || text.size() > 10 || (text.size() > 1 && text[0] == '0')) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// NFKC-normalizes UTF-8 into a Secret. Errors on invalid UTF-8.
Result<SecretString> Normalize(std::string_view password) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(password.data()),
      static_cast<utf8proc_ssize_t>(password.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  if (len < 0) {
    return Error(ErrorCode::kInvalidArgument, "password is not valid UTF-8");
  }
  SecretString out = SecretString::Adopt(
      std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(len)));
  SecureWipe(mapped, static_cast<std::size_t>(len));
  std::free(mapped);
  return out;
}

struct Argon2Parsed {
  bool argon2id = true;
  std::uint32_t memory_kib = 0;
  std::uint32_t iterations = 0;
  std::string pepper_id;     // empty when unpeppered
  std::string libsodium_form; // the PHC string without keyid
};

// $argon2id$v=19$m=..,t=..,p=..[,keyid=..]$salt$hash
Result<Argon2Parsed> ParseArgon2(std::string_view stored) {
  std::vector<std::string_view> parts = Split(stored, '$');
  if (parts.size() != 6 || !parts[0].empty() || parts[2] != "v=19") return Malformed();
  Argon2Parsed out;
  if (parts[1] == "argon2id") {
    out.argon2id = true;
  } else if (parts[1] == "argon2i") {
    out.argon2id = false;
  } else {
    return Malformed();
  }
  std::vector<std::string_view> params = Split(parts[3], ',');
  if (params.size() != 3 && params.size() != 4) return Malformed();
  std::uint32_t lanes = 0;
  if (!params[0].starts_with("m=") || !ParseU32(params[0].substr(2), &out.memory_kib) ||
      !params[1].starts_with("t=") || !ParseU32(params[1].substr(2), &out.iterations) ||
      !params[2].starts_with("p=") || !ParseU32(params[2].substr(2), &lanes)) {
    return Malformed();
  }
  if (out.memory_kib < 8 || out.memory_kib > kMaxMemoryKib || out.iterations < 1 ||
      out.iterations > kMaxIterations || lanes != 1) {
    return Error(ErrorCode::kDataLoss, "stored password hash has parameters outside safe bounds");
  }
  if (params.size() == 4) {
    if (!params[3].starts_with("keyid=") || !ValidPepperId(params[3].substr(6))) {
      return Malformed();
    }
    out.pepper_id = std::string(params[3].substr(6));
  }
  if (parts[4].empty() || parts[5].empty()) return Malformed();
  out.libsodium_form = "$" + std::string(parts[1]) + "$v=19$" + std::string(params[0]) + "," +
                       std::string(params[1]) + "," + std::string(params[2]) + "$" +
                       std::string(parts[4]) + "$" + std::string(parts[5]);
  return out;
}

Result<PasswordVerification> VerifyBcrypt(std::string_view password, std::string_view stored) {
  // $2b$NN$ + 53 characters of salt and hash.
  if (stored.size() != 60 || stored[3] != '$' || stored[6] != '$') return Malformed();
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(stored[4]) || !digit(stored[5])) return Malformed();
  const auto cost = static_cast<std::uint32_t>((stored[4] - '0') * 10 + (stored[5] - '0'));
  if (cost < 4 || cost > kMaxBcryptCost) {
    return Error(ErrorCode::kDataLoss, "stored password hash has parameters outside safe bounds");
  }
  // crypt() takes C strings: a password with NUL cannot match a bcrypt hash.
  if (password.find('\0') != std::string_view::npos) return PasswordVerification{false, true};
  std::string phrase(password);
  std::string setting(stored);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  SecureWipe(phrase.data(), phrase.size());
  if (out == nullptr || out[0] == '*') {
    SecureWipe(data.get(), sizeof(crypt_data));
    return Malformed();
  }
  const bool matched = ConstantTimeEquals(std::string_view(out), stored);
  SecureWipe(data.get(), sizeof(crypt_data));
  return PasswordVerification{matched, true};
}

// passlib's "adapted base64": '.' for '+', no padding.
Result<Bytes> DecodeAb64(std::string_view text) {
  std::string standard(text);
  std::replace(standard.begin(), standard.end(), '.', '+');
  while (standard.size() % 4 != 0) standard.push_back('=');
  return Base64Decode(standard);
}

Result<PasswordVerification> VerifyPbkdf2(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts = Split(stored, '$');
  std::uint32_t iterations = 0;
  Bytes salt;
  Bytes expected;
  if (stored.starts_with("pbkdf2_sha256$")) {  // Django
    if (parts.size() != 4 || !ParseU32(parts[1], &iterations) || parts[2].empty()) {
      return Malformed();
    }
    salt = ToBytes(parts[2]);
    Result<Bytes> hash = Base64Decode(parts[3]);
    if (!hash.ok()) return Malformed();
    expected = std::move(hash).value();
  } else {  // passlib: $pbkdf2-sha256$iter$salt$hash
    if (parts.size() != 5 || !parts[0].empty() || !ParseU32(parts[2], &iterations)) {
      return Malformed();
    }
    Result<Bytes> s = DecodeAb64(parts[3]);
    Result<Bytes> hash = DecodeAb64(parts[4]);
    if (!s.ok() || !hash.ok() || s->empty()) return Malformed();
    salt = std::move(s).value();
    expected = std::move(hash).value();
  }
  if (expected.size() != 32) return Malformed();
  if (iterations < 1 || iterations > kMaxPbkdf2Iterations) {
    return Error(ErrorCode::kDataLoss, "stored password hash has parameters outside safe bounds");
  }
  Bytes derived(32);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(derived.size()), derived.data()) != 1) {
    return Error(ErrorCode::kInternal, "PBKDF2 computation failed");
  }
  const bool matched = ConstantTimeEquals(ByteView(derived), ByteView(expected));
  SecureWipe(derived.data(), derived.size());
  return PasswordVerification{matched, true};
}

}  // namespace

Argon2Params PresetParams(PasswordPreset preset) noexcept {
  switch (preset) {
    case PasswordPreset::kOwaspMinimum: return {19 * 1024, 2};
    case PasswordPreset::kModerate: return {64 * 1024, 3};
    case PasswordPreset::kSensitive: return {256 * 1024, 4};
  }
  return {19 * 1024, 2};
}

Result<PasswordHasher> PasswordHasher::Create(PasswordHasherOptions options) {
  internal::EnsureSodium();
  if (options.params.memory_kib < 19 * 1024 || options.params.iterations < 2) {
    return Error(ErrorCode::kInvalidArgument,
                 "argon2id parameters below the minimum (m=19 MiB, t=2)");
  }
  if (options.params.memory_kib > kMaxMemoryKib || options.params.iterations > kMaxIterations) {
    return Error(ErrorCode::kInvalidArgument, "argon2id parameters above the maximum");
  }
  if (options.max_password_bytes < 256 || options.max_password_bytes > 65536) {
    return Error(ErrorCode::kInvalidArgument, "max_password_bytes must be in [256, 65536]");
  }
  auto check_pepper = [](const Pepper& p) {
    return ValidPepperId(p.id) && p.key.size() >= 32;
  };
  if (options.pepper && !check_pepper(*options.pepper)) {
    return Error(ErrorCode::kInvalidArgument, "pepper needs an id [A-Za-z0-9]{1,16} and 32+ bytes");
  }
  for (const Pepper& p : options.old_peppers) {
    if (!check_pepper(p)) {
      return Error(ErrorCode::kInvalidArgument,
                   "pepper needs an id [A-Za-z0-9]{1,16} and 32+ bytes");
    }
  }
  return PasswordHasher(std::move(options));
}

const Pepper* PasswordHasher::FindPepper(std::string_view id) const noexcept {
  if (options_.pepper && options_.pepper->id == id) return &*options_.pepper;
  for (const Pepper& p : options_.old_peppers) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

namespace {

// The argon2 input: the normalized password, keyed with the pepper if any.
Result<SecretString> Argon2Input(const SecretString& password, std::size_t max_bytes,
                                 const Pepper* pepper) {
  std::string_view raw = password.Reveal(InsecureSecretAccess());
  if (raw.size() > max_bytes) {
    return Error(ErrorCode::kInvalidArgument, "password is too long");
  }
  BULWARK_ASSIGN_OR_RETURN(SecretString normalized, Normalize(raw));
  if (pepper == nullptr) return normalized;
  BULWARK_ASSIGN_OR_RETURN(Bytes keyed, Hmac(HmacAlgorithm::kSha256, pepper->key,
                                             AsBytes(normalized.Reveal(InsecureSecretAccess()))));
  SecretString out = SecretString::Adopt(std::string(AsChars(keyed)));
  SecureWipe(keyed.data(), keyed.size());
  return out;
}

}  // namespace

Result<std::string> PasswordHasher::Hash(const SecretString& password) const {
  const Pepper* pepper = options_.pepper ? &*options_.pepper : nullptr;
  BULWARK_ASSIGN_OR_RETURN(SecretString input,
                           Argon2Input(password, options_.max_password_bytes, pepper));
  std::string_view in = input.Reveal(InsecureSecretAccess());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, in.data(), in.size(), options_.params.iterations,
                            std::size_t{options_.params.memory_kib} * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(ErrorCode::kResourceExhausted, "not enough memory to hash the password");
  }
  std::string phc(out);
  if (pepper != nullptr) {
    // Insert ",keyid=<id>" after the p= parameter (before the salt).
    std::size_t pos = 0;
    for (int i = 0; i < 3 && pos != std::string::npos; ++i) pos = phc.find('$', pos + 1);
    BULWARK_CHECK(pos != std::string::npos);
    phc.insert(pos, ",keyid=" + pepper->id);
  }
  return phc;
}

Result<PasswordVerification> PasswordHasher::Verify(const SecretString& password,
                                                    std::string_view stored) const {
  if (stored.size() > kMaxStoredHash) return Malformed();
  std::string_view raw = password.Reveal(InsecureSecretAccess());
  if (stored.starts_with("$argon2")) {
    BULWARK_ASSIGN_OR_RETURN(Argon2Parsed parsed, ParseArgon2(stored));
    const Pepper* pepper = nullptr;
    if (!parsed.pepper_id.empty()) {
      pepper = FindPepper(parsed.pepper_id);
      if (pepper == nullptr) {
        return Error(ErrorCode::kFailedPrecondition,
                     "stored password hash needs a pepper that is not configured");
      }
    }
    BULWARK_ASSIGN_OR_RETURN(SecretString input,
                             Argon2Input(password, options_.max_password_bytes, pepper));
    std::string_view in = input.Reveal(InsecureSecretAccess());
    PasswordVerification result;
    result.matched = crypto_pwhash_str_verify(parsed.libsodium_form.c_str(), in.data(),
                                              in.size()) == 0;
    result.needs_rehash = NeedsRehash(stored);
    return result;
  }
  if (raw.size() > options_.max_password_bytes) {
    return Error(ErrorCode::kInvalidArgument, "password is too long");
  }
  if (stored.starts_with("$2a$") || stored.starts_with("$2b$") || stored.starts_with("$2y$")) {
    return VerifyBcrypt(raw, stored);
  }
  if (stored.starts_with("pbkdf2_sha256$") || stored.starts_with("$pbkdf2-sha256$")) {
    return VerifyPbkdf2(raw, stored);
  }
  return Error(ErrorCode::kDataLoss, "stored password hash has an unrecognised format");
}

bool PasswordHasher::NeedsRehash(std::string_view stored) const {
  Result<Argon2Parsed> parsed = ParseArgon2(stored);
  if (!parsed.ok() || !parsed->argon2id) return true;
  const std::string current_pepper = options_.pepper ? options_.pepper->id : std::string();
  if (parsed->pepper_id != current_pepper) return true;
  return crypto_pwhash_str_needs_rehash(parsed->libsodium_form.c_str(),
                                        options_.params.iterations,
                                        std::size_t{options_.params.memory_kib} * 1024) != 0;
}

std::string_view PasswordProblemCode(PasswordProblem problem) noexcept {
  switch (problem) {
    case PasswordProblem::kInvalidUtf8: return "invalid_utf8";
    case PasswordProblem::kTooShort: return "too_short";
    case PasswordProblem::kTooLong: return "too_long";
    case PasswordProblem::kCommon: return "common";
    case PasswordProblem::kTooGuessable: return "too_guessable";
    case PasswordProblem::kContainsContext: return "contains_context";
  }
  return "unknown";
}

Result<PasswordPolicy> PasswordPolicy::Create(PasswordPolicyOptions options) {
  if (options.max_code_points < 64) {
    return Error(ErrorCode::kInvalidArgument, "max_code_points must allow at least 64");
  }
  if (options.min_code_points == 0 || options.min_code_points > options.max_code_points) {
    return Error(ErrorCode::kInvalidArgument, "min_code_points must be in [1, max_code_points]");
  }
  return PasswordPolicy(options);
}

namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<PasswordProblem> PasswordPolicy::Check(const SecretString& password,
                                                     const std::vector<std::string>& context) const {
  std::string_view raw = password.Reveal(InsecureSecretAccess());
  if (raw.size() > options_.max_code_points * 4) return PasswordProblem::kTooLong;
  Result<SecretString> normalized = Normalize(raw);
  if (!normalized.ok()) return PasswordProblem::kInvalidUtf8;
  std::string_view pw = normalized->Reveal(InsecureSecretAccess());
  if (pw.find('\0') != std::string_view::npos) return PasswordProblem::kInvalidUtf8;

  std::size_t code_points = 0;
  for (char c : pw) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
  }
  if (code_points < options_.min_code_points) return PasswordProblem::kTooShort;
  if (code_points > options_.max_code_points) return PasswordProblem::kTooLong;

  // Context words (and the parts of an email address) must not make up the password.
  std::vector<std::string> words;
  for (const std::string& item : context) {
    std::string lower = AsciiLower(item);
    words.push_back(lower);
    for (char sep : {'@', '.', ' ', '_', '-', '+'}) {
      for (std::string_view part : Split(lower, sep)) {
        if (part.size() >= 4) words.emplace_back(part);
      }
    }
  }
  const std::string lower_pw = AsciiLower(pw);
  for (const std::string& word : words) {
    if (word.size() >= 4 && word.size() * 2 >= lower_pw.size() &&
        lower_pw.find(word) != std::string::npos) {
      return PasswordProblem::kContainsContext;
    }
  }

  if (!options_.reject_common) return std::nullopt;
  std::vector<const char*> dict;
  for (const std::string& w : words) {
    if (!w.empty()) dict.push_back(w.c_str());
  }
  dict.push_back(nullptr);
  std::string pw_copy(pw);  // zxcvbn wants a NUL-terminated string
  ZxcMatch_t* info = nullptr;
  const double entropy = ZxcvbnMatch(pw_copy.c_str(), dict.data(), &info);
  bool whole_dictionary_word = false;
  for (ZxcMatch_t* m = info; m != nullptr; m = m->Next) {
    const int type = m->Type & ~MULTIPLE_MATCH;
    if ((type == DICTIONARY_MATCH || type == DICT_LEET_MATCH) && m->Begin == 0 &&
        static_cast<std::size_t>(m->Length) >= code_points) {
      whole_dictionary_word = true;
    }
  }
  ZxcvbnFreeInfo(info);
  SecureWipe(pw_copy.data(), pw_copy.size());
  if (whole_dictionary_word) return PasswordProblem::kCommon;
  if (entropy < options_.min_entropy_bits) return PasswordProblem::kTooGuessable;
  return std::nullopt;
}

}  // namespace bulwark::crypto
