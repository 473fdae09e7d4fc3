#include "secrets/key_check.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/encoding.h"
#include "crypto/envelope_format.h"
#include "crypto/storage_encoding.h"

namespace md::secrets {
namespace {

constexpr int kSampleRowsPerTable = 50;

std::string Digest(const SecretBytes& canary) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(canary.data(), canary.size(), digest);
  return HexEncode(ByteView(digest, 16));
}

std::string MismatchMessage(const std::string& provider) {
  if (provider == "secretKey.v1") {
    return "security.secret_key is not the key this database was encrypted with (key check failed "
           "for secretKey.v1); set [security] secret_key (or GF_SECURITY_SECRET_KEY) to the original "
           "key and restart; to rotate secret_key, set [security] previous_secret_key to the former "
           "key (docs/operations.md). Writes of secrets are refused until then.";
  }
  return "encryption provider " + provider + " does not hold the key this database's data keys "
         "were wrapped with (key check failed); fix its [security.encryption." + provider +
         "] section and restart. Writes of secrets are refused until then.";
}

// Reads up to kSampleRowsPerTable stored values of one column; a missing table yields none.
std::vector<std::string> ReadColumn(store::Database& db, const std::string& table,
                                    const std::string& column) {
  std::vector<std::string> values;
  try {
    auto session = db.Lease();
    if (!db.TableExists(*session, table)) return values;
    // LIMIT: libpq and the MySQL client fetch a whole result set before the first row is read.
    soci::rowset<soci::row> rows = (session->prepare << "SELECT " + column + " FROM " + table + " WHERE " +
                                                           column + " IS NOT NULL LIMIT " +
                                                           std::to_string(kSampleRowsPerTable));
    for (const auto& row : rows) {
      if (static_cast<int>(values.size()) >= kSampleRowsPerTable) break;
      if (row.get_indicator(0) == soci::i_ok) values.push_back(row.get<std::string>(0));
    }
  } catch (const std::exception&) {
    // Sampling is best effort: an unreadable table gives no evidence either way.
  }
  return values;
}

}  // namespace

Result<std::string> NewCheckValue(const std::function<Result<Bytes>(const SecretBytes&)>& wrap) {
  SecretBytes canary(16);
  if (RAND_bytes(canary.data(), 16) != 1) return InternalError("random generator failed");
  ASSIGN_OR_RETURN(Bytes wrapped, wrap(canary));
  return "v1:" + Base64EncodeRaw(wrapped) + ":" + Digest(canary);
}

Result<ParsedCheckValue> ParseCheckValue(const std::string& row, const std::string& check_value) {
  auto first = check_value.find(':'), last = check_value.rfind(':');
  if (check_value.rfind("v1:", 0) != 0 || first == last) {
    return DataLossError("md_key_check holds an unreadable check value for " + row);
  }
  ASSIGN_OR_RETURN(Bytes wrapped, Base64DecodeRaw(check_value.substr(first + 1, last - first - 1)));
  return ParsedCheckValue{std::move(wrapped), check_value.substr(last + 1)};
}

Result<bool> CanaryMatches(const Result<SecretBytes>& canary, const std::string& expected) {
  if (!canary.ok()) {
    if (canary.status().code() == StatusCode::kUnavailable) return canary.status();
    return false;  // the KEK rejects its own check value: wrong key
  }
  std::string digest = Digest(*canary);
  return digest.size() == expected.size() &&
         CRYPTO_memcmp(digest.data(), expected.data(), digest.size()) == 0;
}

bool LooksLikeText(const SecretBytes& plaintext) {
  const uint8_t* p = plaintext.data();
  std::size_t n = plaintext.size(), i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return false;
      ++i;
      continue;
    }
    int extra = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (extra < 0 || (c & 0xfe) == 0xc0 || i + extra >= n) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

KeyCheck::KeyCheck(store::Database& db, SecretsManager& manager, bool bookkeeping, bool record)
    : db_(db), manager_(manager), bookkeeping_(bookkeeping), record_(record) {}

Result<std::vector<KeyCheckResult>> KeyCheck::Run() {
  std::vector<KeyCheckResult> results;
  for (const std::string& id : manager_.providers().Ids()) {
    ASSIGN_OR_RETURN(const kms::KeyProvider* provider, manager_.providers().Find(id));
    ASSIGN_OR_RETURN(KeyCheckResult r, CheckProvider(*provider));
    if (r.outcome == KeyCheckResult::Outcome::kMismatch) {
      Status blocked = FailedPreconditionError(r.detail);
      manager_.BlockWrites(blocked);
      return blocked;
    }
    results.push_back(std::move(r));
  }
  return results;
}

bool KeyCheck::InUse(const std::string& id) const {
  bool in_use = evidence_.count(id) > 0;
  for (const auto& [dek, p] : dek_provider_) in_use = in_use || p == id;
  return in_use;
}

Result<KeyCheckResult> KeyCheck::CheckProvider(const kms::KeyProvider& provider) {
  const std::string& id = provider.Id();
  bool secret_key = id == kSecretKeyCheckRow;
  if (secret_key && manager_.secret_keys().rotating()) return CheckRotatingSecretKey(provider);
  ASSIGN_OR_RETURN(auto stored, StoredCheckValue(id));
  if (stored) {
    ASSIGN_OR_RETURN(bool ok, Verify(provider, *stored));
    if (!ok) return KeyCheckResult{id, KeyCheckResult::Outcome::kMismatch, MismatchMessage(id)};
    if (secret_key) return FinishRotationIfPending();
    return KeyCheckResult{id, KeyCheckResult::Outcome::kVerified, ""};
  }
  Status sampled = SampleValues();
  if (!sampled.ok()) return sampled;
  bool in_use = InUse(id);
  const Evidence& e = evidence_[id];
  if (!in_use) {
    Status s = RecordCheckValue(provider);
    if (!s.ok()) return s;
    return KeyCheckResult{id, KeyCheckResult::Outcome::kRecorded, "no data used this key yet"};
  }
  if (e.checked == 0) {
    return KeyCheckResult{id, KeyCheckResult::Outcome::kUnverified,
                          "data keys exist but no sampled value could confirm the key"};
  }
  if (e.plausible * 2 < e.checked) {
    return KeyCheckResult{id, KeyCheckResult::Outcome::kMismatch,
                          MismatchMessage(id) + " (" + std::to_string(e.checked - e.plausible) +
                              " of " + std::to_string(e.checked) + " sampled values decrypt to garbage)"};
  }
  Status s = RecordCheckValue(provider);
  if (!s.ok()) return s;
  return KeyCheckResult{id, KeyCheckResult::Outcome::kRecorded,
                        std::to_string(e.plausible) + " of " + std::to_string(e.checked) +
                            " sampled values decrypt to text"};
}

Result<std::optional<std::string>> KeyCheck::StoredCheckValue(const std::string& row) {
  if (!bookkeeping_) return std::optional<std::string>();
  std::string value;
  soci::indicator ind = soci::i_ok;
  try {
    auto session = db_.Lease();
    *session << "SELECT check_value FROM md_key_check WHERE provider = :p", soci::use(row),
        soci::into(value, ind);
    if (!session->got_data() || ind != soci::i_ok) return std::optional<std::string>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading md_key_check");
  }
  return std::optional<std::string>(value);
}

Status KeyCheck::InsertCheckValue(const std::string& row, const std::string& value) {
  std::string now = FormatDbTime(Clock::now());
  return db_.InTransaction([&](soci::session& session) -> Status {
    session << "INSERT INTO md_key_check (provider, check_value, created) VALUES (:p, :v, :c)",
        soci::use(row), soci::use(value), soci::use(now);
    return OkStatus();
  });
}

Status KeyCheck::RecordCheckValueIn(const std::string& row,
                                    const std::function<Result<Bytes>(const SecretBytes&)>& wrap,
                                    const std::function<Result<bool>(const std::string&)>& verify,
                                    const std::string& mismatch) {
  if (!bookkeeping_ || !record_) return OkStatus();
  ASSIGN_OR_RETURN(std::string value, NewCheckValue(wrap));
  Status inserted = InsertCheckValue(row, value);
  if (inserted.ok()) return OkStatus();
  // Another process recorded one first: it must agree with our key.
  ASSIGN_OR_RETURN(auto stored, StoredCheckValue(row));
  if (!stored) return inserted;
  ASSIGN_OR_RETURN(bool ok, verify(*stored));
  return ok ? OkStatus() : FailedPreconditionError(mismatch);
}

Status KeyCheck::RecordCheckValue(const kms::KeyProvider& provider) {
  const std::string& id = provider.Id();
  bool rotating = id == kSecretKeyCheckRow && manager_.secret_keys().rotating();
  return RecordCheckValueIn(
      id, [&](const SecretBytes& canary) { return provider.WrapKey(canary); },
      [&](const std::string& stored) {
        return rotating ? VerifyWith(Key::kCurrent, stored) : Verify(provider, stored);
      },
      MismatchMessage(id));
}

Result<bool> KeyCheck::Verify(const kms::KeyProvider& provider, const std::string& check_value) {
  ASSIGN_OR_RETURN(ParsedCheckValue parsed, ParseCheckValue(provider.Id(), check_value));
  return CanaryMatches(provider.UnwrapKey(parsed.wrapped), parsed.digest);
}

std::string KeyCheck::ProviderOfValue(ByteView blob) {
  if (!crypto::IsEnvelope(blob)) return AttributeSecretKeyValue(blob);
  auto parts = crypto::ParseEnvelope(blob);
  if (!parts.ok()) return "";
  auto it = dek_provider_.find(parts->key_id);
  return it == dek_provider_.end() ? "" : it->second;
}

std::vector<Bytes> KeyCheck::SampledBlobs() {
  if (blobs_) return *blobs_;
  std::vector<Bytes> blobs;
  for (auto [table, column] : {std::pair{"data_source", "secure_json_data"}, {"plugin_setting", "secure_json_data"},
                               {"alert_notification", "secure_settings"}}) {
    for (const auto& json : ReadColumn(db_, table, column)) {
      auto map = crypto::DecodeSecureJsonMap(json);
      if (!map.ok()) continue;
      for (auto& [key, blob] : *map) blobs.push_back(std::move(blob));
    }
  }
  for (const auto& text : ReadColumn(db_, "secrets", "value")) {
    auto blob = crypto::DecodeStored(text, crypto::StorageEncoding::kBase64Raw);
    if (blob.ok()) blobs.push_back(std::move(blob).value());
  }
  blobs_ = std::move(blobs);
  return *blobs_;
}

Status KeyCheck::SampleValues() {
  if (sampled_) return OkStatus();
  sampled_ = true;
  ASSIGN_OR_RETURN(auto rows, manager_.store().List());
  for (const auto& row : rows) {
    std::string provider = kms::NormalizeProviderId(row.provider);
    dek_provider_[row.id] = provider == kSecretKeyCheckRow ? AttributeSecretKeyValue(row.encrypted_data) : provider;
  }
  for (const Bytes& blob : SampledBlobs()) {
    std::string provider = ProviderOfValue(blob);
    if (provider.empty() || blob.empty()) continue;
    auto plain = manager_.Decrypt(blob);
    if (!plain.ok() && plain.status().code() != StatusCode::kDataLoss &&
        plain.status().code() != StatusCode::kInvalidArgument) {
      continue;  // e.g. a missing data key says nothing about the KEK
    }
    Evidence& e = evidence_[provider];
    ++e.checked;
    if (plain.ok() && LooksLikeText(*plain)) ++e.plausible;
  }
  return OkStatus();
}

}  // namespace md::secrets
