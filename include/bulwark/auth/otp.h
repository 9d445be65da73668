#pragma once
// One-time passwords for MFA: HOTP (RFC 4226) and TOTP (RFC 6238) with
// SHA-1/256/512 and 6-8 digits, enrolment (otpauth:// URI and an SVG QR code
// from libqrencode), replay prevention, and single-use backup codes.
//
//   TotpOptions options;                      // SHA-1, 6 digits, 30 s, +-1 step
//   SecretBytes secret = GenerateTotpSecret(options.hash);
//   BULWARK_ASSIGN_OR_RETURN(TotpEnrollment e, Enroll(secret, "Example", "ann@example.com", options));
//   // show e.qr_svg once; store the secret encrypted (crypto::Aead)
//
//   MemoryTotpReplayStore replay;             // or a database-backed store
//   BULWARK_ASSIGN_OR_RETURN(TotpVerifier v, TotpVerifier::Create(options, replay, sink));
//   Result<TotpMatch> ok = v.Verify("user-42", secret, Untrusted<std::string_view>(code));
//
// Why each check: the +-1 step window absorbs clock skew without making a
// code live for minutes; all window candidates are computed and compared in
// constant time so timing does not reveal which one matched; and a code is
// accepted at most once per account and step (the replay store keeps the last
// accepted step, which must strictly increase), so a code seen over a
// shoulder or phished in real time cannot be used a second time.
//
// Thread-safety: functions are thread-safe; TotpVerifier and BackupCodes are
// immutable after Create and thread-safe if their stores are.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/auth/events.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"

namespace bulwark::auth {

enum class OtpHash : std::uint8_t { kSha1, kSha256, kSha512 };
std::string_view OtpHashName(OtpHash hash) noexcept;  // "SHA1", "SHA256", "SHA512"

// HOTP value of `counter` (RFC 4226 5.3), zero-padded to `digits`.
// Errors: kInvalidArgument for digits outside 6..8 or a key under 16 bytes.
Result<std::string> HotpCode(const SecretBytes& key, std::uint64_t counter, OtpHash hash = OtpHash::kSha1,
                             int digits = 6);

struct TotpOptions {
  OtpHash hash = OtpHash::kSha1;  // what authenticator apps support widely
  int digits = 6;                  // 6..8
  std::chrono::seconds step{30};
  int window = 1;                  // steps accepted either side of now; 0..2
  const Clock* clock = &SystemClock();
};

// The TOTP step (T) for `unix_time`. REQUIRES: step > 0.
std::int64_t TotpStep(std::int64_t unix_time, std::chrono::seconds step) noexcept;
// The TOTP code at `unix_time` (RFC 6238 4.2).
Result<std::string> TotpCode(const SecretBytes& key, std::int64_t unix_time, const TotpOptions& options);

// A fresh random TOTP secret of the hash's block-appropriate size
// (20/32/64 bytes, as RFC 6238's reference keys).
SecretBytes GenerateTotpSecret(OtpHash hash = OtpHash::kSha1);

// RFC 4648 base32 without padding (what otpauth URIs carry).
std::string Base32Encode(ByteView data);

struct TotpEnrollment {
  std::string uri;     // otpauth://totp/<issuer>:<account>?secret=...&issuer=...
  std::string qr_svg;  // the URI as a QR code, a standalone SVG document
};
// Both contain the secret: show them once, over TLS, never log them.
// Errors: kInvalidArgument (empty or over-long issuer/account, a ':' in the
// issuer), kInternal (QR encoding failed).
Result<TotpEnrollment> Enroll(const SecretBytes& secret, std::string_view issuer,
                              std::string_view account, const TotpOptions& options = {});
Result<std::string> OtpAuthUri(const SecretBytes& secret, std::string_view issuer,
                               std::string_view account, const TotpOptions& options = {});
// Any text as a QR code (error correction M) in SVG. Errors: kInvalidArgument
// when the text is over 2 KiB, kInternal when libqrencode fails.
Result<std::string> QrCodeSvg(std::string_view text);

// Remembers, per account, the last TOTP step accepted.
// Thread-safety: implementations are thread-safe and TryAdvance is atomic.
class TotpReplayStore {
 public:
  virtual ~TotpReplayStore() = default;
  // Records `step` for `account` if it is later than the last recorded step;
  // returns false (and changes nothing) if it is not. Errors: kUnavailable
  // when the store cannot be reached (the caller then refuses the code).
  virtual Result<bool> TryAdvance(std::string_view account, std::int64_t step) = 0;
};

class MemoryTotpReplayStore final : public TotpReplayStore {
 public:
  Result<bool> TryAdvance(std::string_view account, std::int64_t step) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::int64_t, std::less<>> last_;
};

struct TotpMatch {
  std::int64_t step = 0;  // the accepted step
  int drift = 0;          // -window..+window: how far the client's clock is off
};

class TotpVerifier {
 public:
  // Errors: kInvalidArgument for options out of range.
  // REQUIRES: `replay` and `events` outlive the verifier.
  static Result<TotpVerifier> Create(TotpOptions options, TotpReplayStore& replay,
                                     SecurityEventSink& events = NullEventSink());

  // Errors: kUnauthenticated (wrong code, or already used: "code already
  // used"), kInvalidArgument (not `digits` ASCII digits), kUnavailable (the
  // replay store failed: fail closed). Records mfa.used / mfa.failed /
  // mfa.replay_blocked for `account`.
  Result<TotpMatch> Verify(std::string_view account, const SecretBytes& secret,
                           Untrusted<std::string_view> code) const;

 private:
  TotpVerifier(TotpOptions options, TotpReplayStore& replay, SecurityEventSink& events)
      : options_(options), replay_(&replay), events_(&events) {}
  TotpOptions options_;
  TotpReplayStore* replay_;
  SecurityEventSink* events_;
};

// ---- Backup codes -----------------------------------------------------------

// Stores the keyed hashes of an account's unused backup codes.
// Thread-safety: implementations are thread-safe; Consume is atomic.
class BackupCodeStore {
 public:
  virtual ~BackupCodeStore() = default;
  // Replaces all codes of `account` with `hashes`.
  virtual Result<void> Replace(std::string_view account, std::vector<std::string> hashes) = 0;
  // Removes `hash` from `account` if present; true if it was there.
  virtual Result<bool> Consume(std::string_view account, std::string_view hash) = 0;
  virtual Result<std::size_t> Remaining(std::string_view account) = 0;
};

class MemoryBackupCodeStore final : public BackupCodeStore {
 public:
  Result<void> Replace(std::string_view account, std::vector<std::string> hashes) override;
  Result<bool> Consume(std::string_view account, std::string_view hash) override;
  Result<std::size_t> Remaining(std::string_view account) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::set<std::string>, std::less<>> codes_;
};

struct BackupCodeOptions {
  std::size_t count = 10;   // 5..20
  std::size_t length = 12;  // characters of a 30-letter alphabet (4.9 bits each): 58.9 bits; 10..24
};

// BackupCodes: generates codes like "7kq4-m2xp-9vhc" from the CSPRNG, keeps
// only an HMAC of each (under a server-side HMAC keyset, so a stolen
// database alone cannot test guesses), and redeems each code once. Input is
// normalised (case, spaces and dashes ignored; the alphabet has no 0/o, 1/l/i
// or u, so misread characters are not guessed at).
class BackupCodes {
 public:
  // Errors: kFailedPrecondition if the keyset's primary is not an HMAC key,
  // kInvalidArgument for options out of range.
  // REQUIRES: `store` and `events` outlive this object.
  static Result<BackupCodes> Create(const crypto::Keyset& hmac_keyset, BackupCodeStore& store,
                                    BackupCodeOptions options = {},
                                    SecurityEventSink& events = NullEventSink(),
                                    const Clock& clock = SystemClock());

  // New codes for `account`, replacing the old ones. The returned plaintext
  // is shown to the user once and must not be stored.
  Result<std::vector<std::string>> Regenerate(std::string_view account);
  // Errors: kUnauthenticated (unknown or already used code), kInvalidArgument
  // (malformed), kUnavailable (store failure).
  Result<void> Redeem(std::string_view account, Untrusted<std::string_view> code);
  Result<std::size_t> Remaining(std::string_view account) { return store_->Remaining(account); }

 private:
  BackupCodes(crypto::Mac mac, BackupCodeStore& store, BackupCodeOptions options,
              SecurityEventSink& events, const Clock& clock)
      : mac_(std::move(mac)), store_(&store), options_(options), events_(&events), clock_(&clock) {}
  Result<std::string> HashOf(std::string_view account, std::string_view normalized,
                             std::uint32_t key_id) const;

  crypto::Mac mac_;
  BackupCodeStore* store_;
  BackupCodeOptions options_;
  SecurityEventSink* events_;
  const Clock* clock_;
};

}  // namespace bulwark::auth
