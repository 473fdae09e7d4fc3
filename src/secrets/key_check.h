// KeyCheck: catches a wrong KEK (e.g. a changed secret_key) before it does harm. With AES-CFB a
// wrong key decrypts to garbage instead of failing (grafana-formats.md §9.1), and re-encrypting
// garbage destroys data for good, so every write is refused until the key is right.
//
// For each loaded provider, a check value lives in our own table md_key_check (never in
// Grafana's tables): "v1:" RawStd(provider.WrapKey(canary)) ":" hex(SHA-256(canary))[0:32].
// Verifying unwraps the canary and compares digests. When a provider has no check value yet:
//   - nothing in the database uses it: the check value is recorded (this key defines the truth);
//   - data written elsewhere uses it: a sample of values is decrypted and judged (printable
//     UTF-8 or not); plausible -> recorded, implausible -> writes blocked, no evidence -> a
//     warning and nothing recorded.
//
// secret_key rotation (kms/secret_key/secret_key_ring.h, docs/operations.md): the row
// "secretKey.v1" holds the check value of the newest key, and while a rotation is under way the
// row "secretKey.v1/previous" holds the former key's. A process started with previous_secret_key
//   - whose previous key verifies "secretKey.v1" begins the rotation: that check value moves to
//     "secretKey.v1/previous" and one for the new key replaces it (compare-and-swap);
//   - otherwise needs the new key to verify "secretKey.v1" and the previous key to verify
//     "secretKey.v1/previous" (or, without it, plausible values among those it decrypts).
// A process started without previous_secret_key while "secretKey.v1/previous" exists ends the
// rotation: when no data key (and no sampled value) is AES-CFB under secret_key any more, it
// deletes that row; otherwise the previous key was removed too early and writes are blocked.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "secrets/secrets_manager.h"
#include "store/database.h"

namespace md::secrets {

struct KeyCheckResult {
  std::string provider;
  enum class Outcome { kVerified, kRecorded, kUnverified, kMismatch } outcome;
  std::string detail;  // for kMismatch: what is wrong and how to fix it
};

class KeyCheck {
 public:
  // bookkeeping=false never reads or writes md_key_check: only the plausibility check runs
  // (the CLI's --no-bookkeeping on a database another program owns). record=false reads stored
  // check values but records none (read-only commands such as verify).
  KeyCheck(store::Database& db, SecretsManager& manager, bool bookkeeping = true, bool record = true);

  // Checks every loaded provider; on a mismatch blocks the manager's writes and returns
  // FailedPrecondition naming the provider and the fix. Unavailable when a KMS cannot be asked.
  Result<std::vector<KeyCheckResult>> Run();

 private:
  using Key = kms::SecretKeyRing::Key;
  struct Evidence {
    int checked = 0;
    int plausible = 0;
  };

  Result<KeyCheckResult> CheckProvider(const kms::KeyProvider& provider);
  Result<std::optional<std::string>> StoredCheckValue(const std::string& row);
  Status InsertCheckValue(const std::string& row, const std::string& value);
  // Inserts a new check value (canary wrapped by `wrap`) into `row`; when another process recorded
  // one first, it must pass `verify`, else FailedPrecondition `mismatch`.
  Status RecordCheckValueIn(const std::string& row, const std::function<Result<Bytes>(const SecretBytes&)>& wrap,
                            const std::function<Result<bool>(const std::string&)>& verify,
                            const std::string& mismatch);
  Status RecordCheckValue(const kms::KeyProvider& provider);
  Result<bool> Verify(const kms::KeyProvider& provider, const std::string& check_value);
  Status SampleValues();
  std::vector<Bytes> SampledBlobs();
  std::string ProviderOfValue(ByteView blob);
  bool InUse(const std::string& id) const;

  // key_check_rotation.cc: secretKey.v1 while a secret_key rotation is under way or ending.
  Result<KeyCheckResult> CheckRotatingSecretKey(const kms::KeyProvider& provider);
  Result<KeyCheckResult> JudgePreviousKey(const kms::KeyProvider& provider, bool current_recorded,
                                          bool previous_recorded);
  Status BeginRotation(const kms::KeyProvider& provider, const std::string& old_check_value,
                       bool previous_recorded);
  Status RecordPreviousCheckValue();
  Result<KeyCheckResult> FinishRotationIfPending();
  Result<bool> VerifyWith(Key key, const std::string& check_value);
  std::string AttributeSecretKeyValue(ByteView blob) const;

  store::Database& db_;
  SecretsManager& manager_;
  // By normalised provider id; during a rotation, what was decrypted with the previous
  // secret_key counts under "secretKey.v1/previous".
  std::map<std::string, Evidence> evidence_;
  std::map<std::string, std::string> dek_provider_;  // DEK id -> provider ("" if unknown)
  std::optional<std::vector<Bytes>> blobs_;           // sampled stored values, read once
  bool sampled_ = false;
  bool bookkeeping_;
  bool record_;
};

// The md_key_check rows of secretKey.v1: the newest key's, and the former key's during a rotation.
inline constexpr char kSecretKeyCheckRow[] = "secretKey.v1";
inline constexpr char kPreviousSecretKeyCheckRow[] = "secretKey.v1/previous";

// Check values, shared by key_check.cc and key_check_rotation.cc.
// "v1:" RawStd(wrap(canary)) ":" digest, for a fresh random 16-byte canary.
Result<std::string> NewCheckValue(const std::function<Result<Bytes>(const SecretBytes&)>& wrap);
struct ParsedCheckValue {
  Bytes wrapped;
  std::string digest;
};
// DataLoss naming the md_key_check row for a value that is not "v1:<base64>:<hex>".
Result<ParsedCheckValue> ParseCheckValue(const std::string& row, const std::string& check_value);
// Whether an unwrapped canary has the recorded digest; a refused unwrap is false (wrong key),
// except Unavailable, which is returned (a KMS that cannot be asked proves nothing).
Result<bool> CanaryMatches(const Result<SecretBytes>& canary, const std::string& expected);

// True when the bytes look like a human-entered secret: valid UTF-8 without control characters
// other than tab, CR and LF.
bool LooksLikeText(const SecretBytes& plaintext);

}  // namespace md::secrets
