#include "bulwark/auth/otp.h"

#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/random.h"

namespace bulwark::auth {
namespace {

crypto::HmacAlgorithm HmacFor(OtpHash hash) {
  switch (hash) {
    case OtpHash::kSha1: return crypto::HmacAlgorithm::kSha1;
    case OtpHash::kSha256: return crypto::HmacAlgorithm::kSha256;
    case OtpHash::kSha512: return crypto::HmacAlgorithm::kSha512;
  }
  return crypto::HmacAlgorithm::kSha1;
}

constexpr std::uint32_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

// No 0/o, 1/l/i or u: 30 symbols that cannot be misread for each other.
constexpr std::string_view kBackupAlphabet = "23456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string_view OtpHashName(OtpHash hash) noexcept {
  switch (hash) {
    case OtpHash::kSha1: return "SHA1";
    case OtpHash::kSha256: return "SHA256";
    case OtpHash::kSha512: return "SHA512";
  }
  return "SHA1";
}

Result<std::string> HotpCode(const SecretBytes& key, std::uint64_t counter, OtpHash hash,
                             int digits) {
  if (digits < 6 || digits > 8) return Error(ErrorCode::kInvalidArgument, "OTP digits must be 6-8");
  std::uint8_t message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<std::uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  BULWARK_ASSIGN_OR_RETURN(Bytes mac, crypto::Hmac(HmacFor(hash), key, message));
  // Dynamic truncation (RFC 4226 5.3).
  const std::size_t offset = mac.back() & 0x0F;
  const std::uint32_t binary = (std::uint32_t{mac[offset]} & 0x7F) << 24 |
                               std::uint32_t{mac[offset + 1]} << 16 |
                               std::uint32_t{mac[offset + 2]} << 8 | std::uint32_t{mac[offset + 3]};
  SecureWipe(mac.data(), mac.size());
  const std::uint32_t value = binary % kPow10[digits];
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%0*u", digits, value);
  return std::string(buf, static_cast<std::size_t>(digits));
}

std::int64_t TotpStep(std::int64_t unix_time, std::chrono::seconds step) noexcept {
  const std::int64_t s = step.count();
  // Floor division, so times before 1970 do not round toward zero.
  return unix_time >= 0 ? unix_time / s : -((-unix_time + s - 1) / s);
}

Result<std::string> TotpCode(const SecretBytes& key, std::int64_t unix_time,
                             const TotpOptions& options) {
  if (options.step.count() <= 0) return Error(ErrorCode::kInvalidArgument, "TOTP step must be > 0");
  const std::int64_t step = TotpStep(unix_time, options.step);
  if (step < 0) return Error(ErrorCode::kInvalidArgument, "time is before the TOTP epoch");
  return HotpCode(key, static_cast<std::uint64_t>(step), options.hash, options.digits);
}

SecretBytes GenerateTotpSecret(OtpHash hash) {
  switch (hash) {
    case OtpHash::kSha1: return crypto::RandomSecretBytes(20);
    case OtpHash::kSha256: return crypto::RandomSecretBytes(32);
    case OtpHash::kSha512: return crypto::RandomSecretBytes(64);
  }
  return crypto::RandomSecretBytes(20);
}

std::string Base32Encode(ByteView data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

Result<std::string> OtpAuthUri(const SecretBytes& secret, std::string_view issuer,
                               std::string_view account, const TotpOptions& options) {
  if (issuer.empty() || issuer.size() > 128 || account.empty() || account.size() > 256) {
    return Error(ErrorCode::kInvalidArgument, "TOTP issuer and account must be 1-128/1-256 bytes");
  }
  if (issuer.find(':') != std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument, "TOTP issuer must not contain ':'");
  }
  if (options.digits < 6 || options.digits > 8 || options.step.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "TOTP options out of range");
  }
  std::string uri = "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account);
  std::string encoded = Base32Encode(secret.RevealBytes(InsecureSecretAccess()));
  uri += "?secret=" + encoded;
  SecureWipe(encoded.data(), encoded.size());
  uri += "&issuer=" + PercentEncode(issuer);
  uri += "&algorithm=" + std::string(OtpHashName(options.hash));
  uri += "&digits=" + std::to_string(options.digits);
  uri += "&period=" + std::to_string(options.step.count());
  return uri;
}

Result<std::string> QrCodeSvg(std::string_view text) {
  if (text.empty() || text.size() > 2048) {
    return Error(ErrorCode::kInvalidArgument, "QR text must be 1-2048 bytes");
  }
  struct QrFree {
    void operator()(QRcode* q) const noexcept { QRcode_free(q); }
  };
  std::unique_ptr<QRcode, QrFree> qr(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!qr || qr->width <= 0) return Error(ErrorCode::kInternal, "QR encoding failed");
  const int width = qr->width;
  const int quiet = 4;
  const int size = width + 2 * quiet;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (qr->data[y * width + x] & 1) {
        // Appended piecewise: "a" + std::string chains trip GCC 12's -Wrestrict.
        svg.push_back('M');
        svg.append(std::to_string(x + quiet));
        svg.push_back(' ');
        svg.append(std::to_string(y + quiet));
        svg.append("h1v1h-1z");
      }
    }
  }
  svg += "\"/></svg>";
  return svg;
}

Result<TotpEnrollment> Enroll(const SecretBytes& secret, std::string_view issuer,
                              std::string_view account, const TotpOptions& options) {
  TotpEnrollment e;
  BULWARK_ASSIGN_OR_RETURN(e.uri, OtpAuthUri(secret, issuer, account, options));
  BULWARK_ASSIGN_OR_RETURN(e.qr_svg, QrCodeSvg(e.uri));
  return e;
}

Result<bool> MemoryTotpReplayStore::TryAdvance(std::string_view account, std::int64_t step) {
  std::lock_guard lock(mu_);
  auto it = last_.find(account);
  if (it == last_.end()) {
    last_.emplace(std::string(account), step);
    return true;
  }
  if (step <= it->second) return false;
  it->second = step;
  return true;
}

Result<TotpVerifier> TotpVerifier::Create(TotpOptions options, TotpReplayStore& replay,
                                          SecurityEventSink& events) {
  if (options.digits < 6 || options.digits > 8 || options.step.count() <= 0 ||
      options.step.count() > 300 || options.window < 0 || options.window > 2 ||
      options.clock == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "TOTP options out of range");
  }
  return TotpVerifier(options, replay, events);
}

Result<TotpMatch> TotpVerifier::Verify(std::string_view account, const SecretBytes& secret,
                                       Untrusted<std::string_view> untrusted) const {
  const std::int64_t now = options_.clock->NowUnixSeconds();
  const std::string_view code = untrusted.UnvalidatedValue();
  if (code.size() != static_cast<std::size_t>(options_.digits) ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    Emit(*events_, SecurityEventType::kMfaFailed, now, std::string(account), {}, "malformed code");
    return Error(ErrorCode::kInvalidArgument, "code must be the configured number of digits");
  }
  const std::int64_t current = TotpStep(now, options_.step);
  // Compute every candidate and compare each in constant time; no early exit.
  bool matched = false;
  int drift = 0;
  for (int d = -options_.window; d <= options_.window; ++d) {
    const std::int64_t step = current + d;
    if (step < 0) continue;
    BULWARK_ASSIGN_OR_RETURN(std::string expected,
                             HotpCode(secret, static_cast<std::uint64_t>(step), options_.hash,
                                      options_.digits));
    const bool equal = crypto::ConstantTimeEquals(std::string_view(expected), code);
    SecureWipe(expected.data(), expected.size());
    if (equal && !matched) {
      matched = true;
      drift = d;
    }
  }
  if (!matched) {
    Emit(*events_, SecurityEventType::kMfaFailed, now, std::string(account), {}, "wrong code");
    return Error(ErrorCode::kUnauthenticated, "code is wrong");
  }
  const std::int64_t step = current + drift;
  Result<bool> fresh = replay_->TryAdvance(account, step);
  if (!fresh.ok()) return Error(ErrorCode::kUnavailable, "TOTP replay store unavailable");
  if (!*fresh) {
    Emit(*events_, SecurityEventType::kMfaReplayBlocked, now, std::string(account), {},
         "code already used");
    return Error(ErrorCode::kUnauthenticated, "code already used");
  }
  Emit(*events_, SecurityEventType::kMfaUsed, now, std::string(account), {}, "totp",
       {{"drift", std::to_string(drift)}});
  return TotpMatch{step, drift};
}

// ---- Backup codes -----------------------------------------------------------

Result<void> MemoryBackupCodeStore::Replace(std::string_view account,
                                            std::vector<std::string> hashes) {
  std::lock_guard lock(mu_);
  codes_[std::string(account)] = std::set<std::string>(hashes.begin(), hashes.end());
  return Ok();
}

Result<bool> MemoryBackupCodeStore::Consume(std::string_view account, std::string_view hash) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(account);
  if (it == codes_.end()) return false;
  auto code = it->second.find(std::string(hash));
  if (code == it->second.end()) return false;
  it->second.erase(code);
  return true;
}

Result<std::size_t> MemoryBackupCodeStore::Remaining(std::string_view account) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(account);
  return it == codes_.end() ? std::size_t{0} : it->second.size();
}

Result<BackupCodes> BackupCodes::Create(const crypto::Keyset& hmac_keyset, BackupCodeStore& store,
                                        BackupCodeOptions options, SecurityEventSink& events,
                                        const Clock& clock) {
  if (options.count < 5 || options.count > 20 || options.length < 10 || options.length > 24) {
    return Error(ErrorCode::kInvalidArgument, "backup code count must be 5-20, length 10-24");
  }
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac mac, crypto::Mac::Create(hmac_keyset));
  return BackupCodes(std::move(mac), store, options, events, clock);
}

Result<std::string> BackupCodes::HashOf(std::string_view account, std::string_view normalized,
                                        std::uint32_t key_id) const {
  // Bound to the account: a code of one account is useless for another.
  std::string input = "bulwark backup code v1";
  input.push_back('\0');
  input += account;
  input.push_back('\0');
  input += normalized;
  Result<Bytes> tag = mac_.ComputeForLookup(AsBytes(input), key_id);
  SecureWipe(input.data(), input.size());
  if (!tag.ok()) return tag.error();
  return KeyIdString(key_id) + ":" + HexEncode(*tag);
}

Result<std::vector<std::string>> BackupCodes::Regenerate(std::string_view account) {
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
  for (std::size_t i = 0; i < options_.count; ++i) {
    std::string raw(options_.length, ' ');
    for (char& c : raw) {
      c = kBackupAlphabet[crypto::RandomUniform(static_cast<std::uint32_t>(kBackupAlphabet.size()))];
    }
    BULWARK_ASSIGN_OR_RETURN(std::string hash, HashOf(account, raw, mac_.primary_id()));
    hashes.push_back(std::move(hash));
    std::string shown;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (k > 0 && k % 4 == 0) shown.push_back('-');
      shown.push_back(raw[k]);
    }
    SecureWipe(raw.data(), raw.size());
    codes.push_back(std::move(shown));
  }
  BULWARK_RETURN_IF_ERROR(store_->Replace(account, std::move(hashes)));
  Emit(*events_, SecurityEventType::kBackupCodesRegenerated, clock_->NowUnixSeconds(),
       std::string(account));
  return codes;
}

Result<void> BackupCodes::Redeem(std::string_view account, Untrusted<std::string_view> untrusted) {
  const std::string_view input = untrusted.UnvalidatedValue();
  const std::int64_t now = clock_->NowUnixSeconds();
  if (input.size() > 64) return Error(ErrorCode::kInvalidArgument, "backup code is malformed");
  std::string normalized;
  for (char c : input) {
    if (c == '-' || c == ' ') continue;
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (kBackupAlphabet.find(lower) == std::string_view::npos) {
      return Error(ErrorCode::kInvalidArgument, "backup code is malformed");
    }
    normalized.push_back(lower);
  }
  if (normalized.size() != options_.length) {
    return Error(ErrorCode::kInvalidArgument, "backup code is malformed");
  }
  // Codes made under an older HMAC key still redeem while it is enabled.
  for (std::uint32_t key_id : mac_.key_ids()) {
    BULWARK_ASSIGN_OR_RETURN(std::string hash, HashOf(account, normalized, key_id));
    Result<bool> consumed = store_->Consume(account, hash);
    if (!consumed.ok()) return Error(ErrorCode::kUnavailable, "backup code store unavailable");
    if (*consumed) {
      SecureWipe(normalized.data(), normalized.size());
      Emit(*events_, SecurityEventType::kBackupCodeUsed, now, std::string(account));
      return Ok();
    }
  }
  SecureWipe(normalized.data(), normalized.size());
  Emit(*events_, SecurityEventType::kMfaFailed, now, std::string(account), {}, "wrong backup code");
  return Error(ErrorCode::kUnauthenticated, "backup code is wrong or already used");
}

}  // namespace bulwark::auth
