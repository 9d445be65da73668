#include <gtest/gtest.h>

#include <string>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"

namespace bulwark::crypto {
namespace {

Keyset NewAeadKeyset() { return *Keyset::Generate(KeyType::kAeadXChaCha20Poly1305); }

TEST(KeysetTest, GenerateHasOnePrimary) {
  ManualClock clock(1'700'000'000);
  Keyset ks = *Keyset::Generate(KeyType::kAeadXChaCha20Poly1305, clock);
  std::vector<KeyInfo> keys = ks.Keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(keys[0].primary);
  EXPECT_NE(keys[0].id, 0u);
  EXPECT_EQ(keys[0].id, ks.primary_id());
  EXPECT_EQ(keys[0].created_unix, 1'700'000'000);
  EXPECT_EQ(keys[0].status, KeyStatus::kEnabled);
}

TEST(KeysetTest, RotationLifecycle) {
  Keyset ks = NewAeadKeyset();
  const std::uint32_t old_id = ks.primary_id();
  const std::uint32_t new_id = *ks.AddKey(KeyType::kAeadXChaCha20Poly1305);
  EXPECT_NE(old_id, new_id);
  EXPECT_EQ(ks.primary_id(), old_id);  // added keys roll out before they are used
  ASSERT_TRUE(ks.Promote(new_id).ok());
  EXPECT_EQ(ks.primary_id(), new_id);
  EXPECT_EQ(ks.Destroy(old_id).error().code(), ErrorCode::kFailedPrecondition);  // enabled
  EXPECT_EQ(ks.Disable(new_id).error().code(), ErrorCode::kFailedPrecondition);  // primary
  ASSERT_TRUE(ks.Disable(old_id).ok());
  EXPECT_EQ(ks.Promote(old_id).error().code(), ErrorCode::kFailedPrecondition);  // disabled
  ASSERT_TRUE(ks.Destroy(old_id).ok());
  EXPECT_EQ(ks.Keys().size(), 1u);
  EXPECT_EQ(ks.Promote(12345).error().code(), ErrorCode::kNotFound);
}

TEST(KeysetTest, SealAndOpen) {
  SecretBytes master = GenerateMasterKey();
  Keyset ks = NewAeadKeyset();
  (void)*ks.AddKey(KeyType::kHmacSha256);
  std::string sealed = *ks.Seal(master);
  EXPECT_TRUE(sealed.starts_with("bulwark-keyset.v1."));
  Result<Keyset> opened = Keyset::Open(sealed + "\n", master);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->primary_id(), ks.primary_id());
  ASSERT_EQ(opened->Keys().size(), 2u);
  for (const KeyInfo& info : ks.Keys()) {
    const SecretBytes* a = ks.EnabledMaterial(info.id, InsecureSecretAccess());
    const SecretBytes* b = opened->EnabledMaterial(info.id, InsecureSecretAccess());
    ASSERT_NE(b, nullptr);
    EXPECT_TRUE(a->Equals(*b));
    EXPECT_EQ(opened->Info(info.id)->type, info.type);
  }
}

TEST(KeysetTest, OpenRefusesWrongMasterTamperingAndTruncation) {
  SecretBytes master = GenerateMasterKey();
  std::string sealed = *NewAeadKeyset().Seal(master);

  EXPECT_EQ(Keyset::Open(sealed, GenerateMasterKey()).error().code(),
            ErrorCode::kPermissionDenied);

  std::string tampered = sealed;
  char& c = tampered[tampered.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(Keyset::Open(tampered, master).error().code(), ErrorCode::kDataLoss);

  const std::size_t dot = sealed.rfind('.');
  std::string truncated = sealed.substr(0, dot + 20);
  EXPECT_FALSE(Keyset::Open(truncated, master).ok());

  EXPECT_EQ(Keyset::Open("not a keyset", master).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Keyset::Open("", master).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Keyset::Open(sealed, SecretBytes::CopyFrom(Bytes(16, 1))).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST(KeysetTest, ParseUnsealedRejectsMalformed) {
  Keyset ks = NewAeadKeyset();
  Bytes good = *ks.SerializeForSealing(InsecureSecretAccess());
  ASSERT_TRUE(Keyset::ParseUnsealed(good).ok());
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    Bytes prefix(good.begin(), good.begin() + static_cast<long>(cut));
    EXPECT_FALSE(Keyset::ParseUnsealed(prefix).ok()) << "prefix of " << cut;
  }
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(Keyset::ParseUnsealed(trailing).ok());
  Bytes bad_primary = good;
  bad_primary[7] ^= 1;  // primary id no longer matches a key
  EXPECT_FALSE(Keyset::ParseUnsealed(bad_primary).ok());
  Bytes bad_type = good;
  bad_type[14] = 99;  // type byte of the first key
  EXPECT_FALSE(Keyset::ParseUnsealed(bad_type).ok());
}

TEST(KeysetTest, ImportChecksSize) {
  EXPECT_FALSE(Keyset::FromMaterial(KeyType::kEd25519, SecretBytes::CopyFrom(Bytes(31))).ok());
  EXPECT_TRUE(Keyset::FromMaterial(KeyType::kEd25519, SecretBytes::CopyFrom(Bytes(32))).ok());
  EXPECT_EQ(*ParseKeyType("hmac-sha512"), KeyType::kHmacSha512);
  EXPECT_FALSE(ParseKeyType("rot13").ok());
}

TEST(AeadTest, RoundTripBindsAssociatedData) {
  Aead aead = *Aead::Create(NewAeadKeyset());
  Bytes ct = *aead.Encrypt(AsBytes("4111-1111-1111-1111"), AsBytes("users.card:42"));
  EXPECT_EQ(ct.size(), Aead::kOverhead + 19);
  EXPECT_EQ(*Aead::KeyIdOf(ct), aead.primary_id());
  EXPECT_EQ(AsChars(*aead.Decrypt(ct, AsBytes("users.card:42"))), "4111-1111-1111-1111");
  // Moved to another row: refused.
  EXPECT_EQ(aead.Decrypt(ct, AsBytes("users.card:43")).error().code(), ErrorCode::kDataLoss);
  // Same plaintext twice: different ciphertexts (random nonces).
  EXPECT_NE(ct, *aead.Encrypt(AsBytes("4111-1111-1111-1111"), AsBytes("users.card:42")));
}

TEST(AeadTest, TamperingIsDetectedEverywhere) {
  Aead aead = *Aead::Create(NewAeadKeyset());
  Bytes ct = *aead.Encrypt(AsBytes("secret payload"), AsBytes("ad"));
  for (std::size_t i = 0; i < ct.size(); ++i) {
    Bytes bad = ct;
    bad[i] ^= 0x01;
    EXPECT_FALSE(aead.Decrypt(bad, AsBytes("ad")).ok()) << "byte " << i;
  }
  for (std::size_t len = 0; len < ct.size(); ++len) {
    Bytes cut(ct.begin(), ct.begin() + static_cast<long>(len));
    EXPECT_FALSE(aead.Decrypt(cut, AsBytes("ad")).ok()) << "length " << len;
  }
}

TEST(AeadTest, WrongKeyIdAndOtherKeyset) {
  Aead a = *Aead::Create(NewAeadKeyset());
  Aead b = *Aead::Create(NewAeadKeyset());
  Bytes ct = *a.Encrypt(AsBytes("x"), {});
  EXPECT_EQ(b.Decrypt(ct, {}).error().code(), ErrorCode::kNotFound);
  Bytes renamed = ct;  // claims b's key id: authentication still fails
  const std::uint32_t id = b.primary_id();
  for (int i = 0; i < 4; ++i) renamed[1 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (24 - 8 * i));
  EXPECT_EQ(b.Decrypt(renamed, {}).error().code(), ErrorCode::kDataLoss);
  Bytes bad_version = ct;
  bad_version[0] = 2;
  EXPECT_EQ(a.Decrypt(bad_version, {}).error().code(), ErrorCode::kInvalidArgument);
}

TEST(AeadTest, RotationKeepsOldCiphertextsReadable) {
  Keyset ks = NewAeadKeyset();
  const std::uint32_t old_id = ks.primary_id();
  Bytes old_ct = *Aead::Create(ks)->Encrypt(AsBytes("old"), {});
  const std::uint32_t new_id = *ks.AddKey(KeyType::kAeadXChaCha20Poly1305);
  ASSERT_TRUE(ks.Promote(new_id).ok());
  Aead rotated = *Aead::Create(ks);
  EXPECT_EQ(AsChars(*rotated.Decrypt(old_ct, {})), "old");
  EXPECT_EQ(*Aead::KeyIdOf(*rotated.Encrypt(AsBytes("new"), {})), new_id);
  ASSERT_TRUE(ks.Disable(old_id).ok());
  Aead retired = *Aead::Create(ks);
  EXPECT_EQ(retired.Decrypt(old_ct, {}).error().code(), ErrorCode::kNotFound);
}

TEST(AeadTest, RefusesKeysetOfAnotherType) {
  EXPECT_EQ(Aead::Create(*Keyset::Generate(KeyType::kHmacSha256)).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Mac::Create(NewAeadKeyset()).error().code(), ErrorCode::kFailedPrecondition);
}

TEST(AeadTest, EmptyPlaintextAndSecretDecrypt) {
  Aead aead = *Aead::Create(NewAeadKeyset());
  Bytes ct = *aead.Encrypt({}, {});
  EXPECT_TRUE(aead.Decrypt(ct, {})->empty());
  Bytes ct2 = *aead.Encrypt(AsBytes("key"), AsBytes("k"));
  EXPECT_EQ(AsChars(aead.DecryptSecret(ct2, AsBytes("k"))->RevealBytes(InsecureSecretAccess())),
            "key");
}

TEST(MacTest, ComputeVerifyAndRotation) {
  Keyset ks = *Keyset::Generate(KeyType::kHmacSha256);
  Mac mac = *Mac::Create(ks);
  Bytes tag = *mac.Compute(AsBytes("alice@example.com"));
  EXPECT_TRUE(mac.Verify(AsBytes("alice@example.com"), tag));
  EXPECT_FALSE(mac.Verify(AsBytes("alice@example.co"), tag));
  Bytes bad = tag;
  bad.back() ^= 1;
  EXPECT_FALSE(mac.Verify(AsBytes("alice@example.com"), bad));
  EXPECT_FALSE(mac.Verify(AsBytes("alice@example.com"), Bytes{}));

  const std::uint32_t new_id = *ks.AddKey(KeyType::kHmacSha512);
  ASSERT_TRUE(ks.Promote(new_id).ok());
  Mac rotated = *Mac::Create(ks);
  EXPECT_TRUE(rotated.Verify(AsBytes("alice@example.com"), tag));
  EXPECT_EQ(rotated.Compute(AsBytes("x"))->size(), 5u + 64u);

  // Lookup tags are deterministic per key and differ across keys.
  EXPECT_EQ(*rotated.ComputeForLookup(AsBytes("a")), *rotated.ComputeForLookup(AsBytes("a")));
  EXPECT_NE(*rotated.ComputeForLookup(AsBytes("a"), mac.primary_id()),
            *rotated.ComputeForLookup(AsBytes("a")));
  EXPECT_EQ(rotated.key_ids().size(), 2u);
  EXPECT_FALSE(rotated.ComputeForLookup(AsBytes("a"), 77).ok());
}

}  // namespace
}  // namespace bulwark::crypto
