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
#pragma once

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
  Result<KeyCheckResult> CheckProvider(const kms::KeyProvider& provider);
  Result<std::optional<std::string>> StoredCheckValue(const std::string& provider);
  Status RecordCheckValue(const kms::KeyProvider& provider);
  Result<bool> Verify(const kms::KeyProvider& provider, const std::string& check_value);
  Status SampleValues();
  std::string ProviderOfValue(ByteView blob);

  store::Database& db_;
  SecretsManager& manager_;
  struct Evidence {
    int checked = 0;
    int plausible = 0;
  };
  std::map<std::string, Evidence> evidence_;         // by normalised provider id
  std::map<std::string, std::string> dek_provider_;  // DEK id -> provider ("" if unknown)
  bool sampled_ = false;
  bool bookkeeping_;
  bool record_;
};

// True when the bytes look like a human-entered secret: valid UTF-8 without control characters
// other than tab, CR and LF.
bool LooksLikeText(const SecretBytes& plaintext);

}  // namespace md::secrets
