// KeyCheck for secretKey.v1 while a secret_key rotation is under way, and when one ends
// (the rules are in key_check.h).
#include "crypto/envelope_format.h"
#include "crypto/legacy_payload.h"
#include "secrets/key_check.h"

namespace md::secrets {
namespace {

using Outcome = KeyCheckResult::Outcome;

constexpr char kRefused[] = " Writes of secrets are refused until then.";

std::string PreviousMismatchMessage() {
  return std::string(
             "security.previous_secret_key is not the key this database was encrypted with before the "
             "secret_key rotation (key check failed for secretKey.v1); set [security] previous_secret_key "
             "(or GF_SECURITY_PREVIOUS_SECRET_KEY) to the former secret_key and restart.") +
         kRefused;
}

std::string NewKeyMismatchMessage() {
  return std::string(
             "security.secret_key is not the new key of the secret_key rotation under way: another "
             "process recorded a check value for a different one (key check failed for secretKey.v1); "
             "give every replica the same secret_key and previous_secret_key and restart.") +
         kRefused;
}

std::string UnfinishedMessage(int data_keys, int values) {
  return "security.previous_secret_key was removed, but the secret_key rotation is not finished: " +
         std::to_string(data_keys) + " data keys and " + std::to_string(values) +
         " sampled values are still encrypted with the former key and would decrypt to garbage; set "
         "previous_secret_key back to the former secret_key, run re-encrypt-data-keys and re-encrypt, "
         "and remove it when status says it is no longer needed." + kRefused;
}

KeyCheckResult SecretKeyResult(Outcome outcome, std::string detail) {
  return KeyCheckResult{kSecretKeyCheckRow, outcome, std::move(detail)};
}

// AES-CFB (any prefix form) directly under secret_key: during a rotation, always the former key.
bool IsCfb(ByteView value) {
  auto parsed = crypto::ParseLegacyPayload(value);
  return parsed.ok() && parsed->algorithm != crypto::Algorithm::kAesGcm;
}

}  // namespace

Result<bool> KeyCheck::VerifyWith(Key key, const std::string& check_value) {
  ASSIGN_OR_RETURN(ParsedCheckValue parsed, ParseCheckValue(kSecretKeyCheckRow, check_value));
  return CanaryMatches(manager_.secret_keys().DecryptWith(key, parsed.wrapped), parsed.digest);
}

std::string KeyCheck::AttributeSecretKeyValue(ByteView blob) const {
  const kms::SecretKeyRing& keys = manager_.secret_keys();
  if (!keys.rotating()) return kSecretKeyCheckRow;
  // A value neither key opens counts against the previous key: the current one wrote only
  // authenticated values.
  auto key = keys.KeyOf(blob);
  return key.ok() && *key == Key::kCurrent ? kSecretKeyCheckRow : kPreviousSecretKeyCheckRow;
}

Result<KeyCheckResult> KeyCheck::CheckRotatingSecretKey(const kms::KeyProvider& provider) {
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(auto current, StoredCheckValue(kSecretKeyCheckRow));
    ASSIGN_OR_RETURN(auto previous, StoredCheckValue(kPreviousSecretKeyCheckRow));
    if (previous) {
      ASSIGN_OR_RETURN(bool ok, VerifyWith(Key::kPrevious, *previous));
      if (!ok) return SecretKeyResult(Outcome::kMismatch, PreviousMismatchMessage());
    }
    if (!current) return JudgePreviousKey(provider, false, previous.has_value());
    ASSIGN_OR_RETURN(bool current_ok, VerifyWith(Key::kCurrent, *current));
    if (current_ok && previous) {
      return SecretKeyResult(Outcome::kVerified, "secret_key rotation under way: both keys verified");
    }
    if (current_ok) return JudgePreviousKey(provider, true, false);
    // The newest recorded key is not ours: either this is the first process of the rotation
    // (it is our previous key), or the keys are wrong.
    ASSIGN_OR_RETURN(bool previous_ok, VerifyWith(Key::kPrevious, *current));
    if (!previous_ok) {
      return SecretKeyResult(Outcome::kMismatch, previous ? NewKeyMismatchMessage() : PreviousMismatchMessage());
    }
    Status begun = BeginRotation(provider, *current, previous.has_value());
    if (begun.ok()) {
      return SecretKeyResult(Outcome::kRecorded, "secret_key rotation started: previous_secret_key verified, "
                                        "check value recorded for the new secret_key");
    }
    if (attempt > 0) return begun;  // another process changed md_key_check meanwhile: look again
  }
}

// Moves the former key's check value to its own row and records one for the new key, in one
// transaction; the compare-and-swap fails when another process did it first.
Status KeyCheck::BeginRotation(const kms::KeyProvider& provider, const std::string& old_check_value,
                               bool previous_recorded) {
  if (!bookkeeping_ || !record_) return OkStatus();
  ASSIGN_OR_RETURN(std::string value, NewCheckValue([&](const SecretBytes& c) { return provider.WrapKey(c); }));
  std::string now = FormatDbTime(Clock::now());
  std::string current_row = kSecretKeyCheckRow, previous_row = kPreviousSecretKeyCheckRow;
  return db_.InTransaction([&](soci::session& session) -> Status {
    if (!previous_recorded) {
      session << "INSERT INTO md_key_check (provider, check_value, created) VALUES (:p, :v, :c)",
          soci::use(previous_row), soci::use(old_check_value), soci::use(now);
    }
    soci::statement st = (session.prepare << "UPDATE md_key_check SET check_value = :v, created = :c "
                                             "WHERE provider = :p AND check_value = :old",
                          soci::use(value), soci::use(now), soci::use(current_row), soci::use(old_check_value));
    st.execute(true);
    if (st.get_affected_rows() != 1) return FailedPreconditionError("md_key_check changed during the key check");
    return OkStatus();
  });
}

// No check value proves the previous key: the sampled values decrypted with it decide.
Result<KeyCheckResult> KeyCheck::JudgePreviousKey(const kms::KeyProvider& provider, bool current_recorded,
                                                  bool previous_recorded) {
  Status sampled = SampleValues();
  if (!sampled.ok()) return sampled;
  bool in_use = InUse(kPreviousSecretKeyCheckRow);
  const Evidence e = evidence_[kPreviousSecretKeyCheckRow];
  if (in_use && e.plausible * 2 < e.checked) {
    return SecretKeyResult(Outcome::kMismatch, PreviousMismatchMessage() + " (" + std::to_string(e.checked - e.plausible) +
                                          " of " + std::to_string(e.checked) +
                                          " sampled values decrypt to garbage with it)");
  }
  if (!current_recorded) {
    if (Status s = RecordCheckValue(provider); !s.ok()) return s;
  }
  if (!in_use) return SecretKeyResult(current_recorded ? Outcome::kVerified : Outcome::kRecorded,
                             "secret_key rotation under way: no sampled value needs previous_secret_key");
  if (e.checked == 0) {
    return SecretKeyResult(Outcome::kUnverified, "data keys wrapped with previous_secret_key exist but no sampled value "
                                        "could confirm it");
  }
  if (!previous_recorded) {
    if (Status s = RecordPreviousCheckValue(); !s.ok()) return s;
  }
  return SecretKeyResult(Outcome::kRecorded, std::to_string(e.plausible) + " of " + std::to_string(e.checked) +
                                        " sampled values decrypt to text with previous_secret_key");
}

Status KeyCheck::RecordPreviousCheckValue() {
  const kms::SecretKeyRing& keys = manager_.secret_keys();
  return RecordCheckValueIn(
      kPreviousSecretKeyCheckRow,
      [&](const SecretBytes& canary) { return keys.EncryptCheckValueWith(Key::kPrevious, canary.view()); },
      [&](const std::string& stored) { return VerifyWith(Key::kPrevious, stored); }, PreviousMismatchMessage());
}

Result<KeyCheckResult> KeyCheck::FinishRotationIfPending() {
  ASSIGN_OR_RETURN(auto previous, StoredCheckValue(kPreviousSecretKeyCheckRow));
  if (!previous) return SecretKeyResult(Outcome::kVerified, "");
  // Without previous_secret_key, a CFB value under secret_key is read with the new key: garbage.
  ASSIGN_OR_RETURN(auto rows, manager_.store().List());
  int data_keys = 0, values = 0;
  for (const auto& row : rows) {
    if (kms::NormalizeProviderId(row.provider) == kSecretKeyCheckRow && IsCfb(row.encrypted_data)) ++data_keys;
  }
  for (const Bytes& blob : SampledBlobs()) {
    if (!crypto::IsEnvelope(blob) && IsCfb(blob)) ++values;
  }
  if (data_keys + values > 0) return SecretKeyResult(Outcome::kMismatch, UnfinishedMessage(data_keys, values));
  if (record_) {
    std::string row = kPreviousSecretKeyCheckRow;
    Status deleted = db_.InTransaction([&](soci::session& session) -> Status {
      session << "DELETE FROM md_key_check WHERE provider = :p", soci::use(row);
      return OkStatus();
    });
    if (!deleted.ok()) return deleted;
  }
  return SecretKeyResult(Outcome::kVerified, "secret_key rotation finished: nothing needs the previous key any more");
}

}  // namespace md::secrets
