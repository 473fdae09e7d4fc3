// Secrets operations on a whole database (docs/benchmarks.md, operations section): a table of N
// data sources with 2 secrets each, then verify / re-encrypt / rollback timed once per run.
//   written_here = 1: values this project wrote (one salt per key and process: cached keys)
//   written_here = 0: values written elsewhere (a salt each: one PBKDF2 per value)
//   Baseline: what Grafana does: one transaction per row and two PBKDF2 per value (decrypt
//   with a fresh key derivation, encrypt with a fresh salt).
// SQLite always; PostgreSQL when MD_TEST_POSTGRES names a server (libpq conninfo).
#include <benchmark/benchmark.h>

#include <openssl/rand.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "crypto/storage_encoding.h"
#include "operations/secrets_migrator.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::operations {
namespace {

constexpr int kInsertBatch = 1000;

struct BenchDatabase {
  std::unique_ptr<store::testing::TestDatabase> database;
  std::unique_ptr<secrets::TestProcess> process;
};

// A Grafana-style value: legacy CFB, a random salt and IV of its own (one PBKDF2 to read).
Bytes WrittenElsewhere(const crypto::EncryptionService& cipher, std::string_view plain, const SecretBytes& key) {
  uint8_t random[24];
  RAND_bytes(random, sizeof random);
  for (int i = 0; i < 8; ++i) random[i] = static_cast<uint8_t>("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[random[i] % 62]);
  return *cipher.EncryptWithSaltAndIv(AsBytes(plain), key, ByteView(random, 8), ByteView(random + 8, 16));
}

// The secure_json_data cells of rows [begin, end), built in parallel (PBKDF2 dominates).
std::vector<std::string> Cells(secrets::TestProcess& p, int begin, int end, bool written_here) {
  std::vector<std::string> cells(end - begin);
  SecretBytes key(std::string_view(secrets::kDefaultSecretKey));
  auto work = [&](int from, int to) {
    crypto::EncryptionService fresh(crypto::Algorithm::kAesCfb);
    for (int i = from; i < to; ++i) {
      std::map<std::string, Bytes> values;
      for (const char* field : {"password", "basicAuthPassword"}) {
        std::string plain = std::string(field) + "-" + std::to_string(begin + i);
        values[field] = written_here ? *p.manager->Encrypt(AsBytes(plain)) : WrittenElsewhere(fresh, plain, key);
      }
      cells[i] = crypto::EncodeSecureJsonMap(values);
    }
  };
  int n = end - begin, half = n / 2;
  std::thread other(work, half, n);
  work(0, half);
  other.join();
  return cells;
}

void Insert(store::Database& db, int begin, const std::vector<std::string>& cells) {
  (void)db.InTransaction([&](soci::session& s) -> Status {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string name = "ds-" + std::to_string(begin + static_cast<int>(i));
      s << "INSERT INTO data_source (org_id, version, type, name, access, url, basic_auth, is_default, "
           "with_credentials, secure_json_data, uid, created, updated) VALUES (1, 1, 'postgres', :n, 'proxy', '', " +
               db.BoolLiteral(false) + ", " + db.BoolLiteral(false) + ", " + db.BoolLiteral(false) +
               ", :c, :u, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
          soci::use(name, "n"), soci::use(cells[i], "c"), soci::use(name, "u");
    }
    return OkStatus();
  }, /*write_lock=*/true);
}

std::unique_ptr<BenchDatabase> Build(store::Dialect dialect, int rows, bool written_here) {
  auto bench = std::make_unique<BenchDatabase>();
  auto created = store::testing::TestDatabase::Create(dialect);
  if (!created.ok()) return nullptr;
  bench->database = std::make_unique<store::testing::TestDatabase>(std::move(created).value());
  bench->process = secrets::StartProcess(bench->database->settings());
  if (!bench->process) return nullptr;
  for (int begin = 0; begin < rows; begin += kInsertBatch) {
    int end = std::min(rows, begin + kInsertBatch);
    Insert(*bench->process->db, begin, Cells(*bench->process, begin, end, written_here));
  }
  return bench;
}

// Grafana's re-encrypt of data_source.secure_json_data: a transaction per row, a fresh key
// derivation for every decrypt and every encrypt.
Status BaselineReEncrypt(BenchDatabase& b) {
  store::Database& db = *b.process->db;
  std::vector<long long> ids;
  {
    auto s = db.Lease();
    soci::rowset<long long> rs = (s->prepare << "SELECT id FROM data_source ORDER BY id");
    for (long long id : rs) ids.push_back(id);
  }
  SecretBytes key(std::string_view(secrets::kDefaultSecretKey));
  for (long long id : ids) {
    Status st = db.InTransaction([&](soci::session& s) -> Status {
      std::string cell;
      s << "SELECT secure_json_data FROM data_source WHERE id = :id", soci::use(id), soci::into(cell);
      ASSIGN_OR_RETURN(auto values, crypto::DecodeSecureJsonMap(cell));
      for (auto& [k, blob] : values) {
        crypto::EncryptionService fresh(crypto::Algorithm::kAesCfb);  // no derived-key cache
        ASSIGN_OR_RETURN(SecretBytes plain, fresh.Decrypt(blob, key));
        blob = WrittenElsewhere(fresh, plain.InsecureString(), key);  // a salt of its own: PBKDF2
      }
      std::string updated = crypto::EncodeSecureJsonMap(values);
      s << "UPDATE data_source SET secure_json_data = :c WHERE id = :id", soci::use(updated), soci::use(id);
      return OkStatus();
    });
    if (!st.ok()) return st;
  }
  return OkStatus();
}

enum Op { kVerify, kReEncrypt, kRollback, kBaseline };

void BM_Operation(benchmark::State& state, store::Dialect dialect) {
  Op op = static_cast<Op>(state.range(0));
  int rows = static_cast<int>(state.range(1));
  bool written_here = state.range(2) != 0;
  std::unique_ptr<BenchDatabase> b;
  for (auto _ : state) {
    state.PauseTiming();
    b.reset();
    b = Build(dialect, rows, written_here);
    if (!b) {
      state.SkipWithError("no database for this dialect (set MD_TEST_POSTGRES)");
      break;
    }
    Progress progress;
    SecretsMigrator migrator(*b->process->db, *b->process->manager, progress);
    state.ResumeTiming();
    Result<Report> report = op == kVerify      ? migrator.Verify({})
                            : op == kReEncrypt ? migrator.ReEncrypt({})
                            : op == kRollback  ? migrator.Rollback({})
                                               : Result<Report>(Report{});
    Status baseline = op == kBaseline ? BaselineReEncrypt(*b) : OkStatus();
    if (!report.ok() || !report->ok() || !baseline.ok()) state.SkipWithError("the operation failed");
  }
  state.counters["rows"] = rows;
  state.counters["values_per_s"] = benchmark::Counter(2.0 * rows, benchmark::Counter::kIsRate);
  b.reset();
}

void Register(const char* name, store::Dialect dialect) {
  auto* bench = benchmark::RegisterBenchmark(name, BM_Operation, dialect);
  bench->ArgNames({"op", "rows", "here"})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
  for (long rows : {10000L, 100000L, 1000000L}) {
    for (long op : {kVerify, kReEncrypt, kRollback}) bench->Args({op, rows, 1});
  }
  for (long op : {kVerify, kReEncrypt}) bench->Args({op, 10000, 0});
  bench->Args({kBaseline, 1000, 0});
  bench->Args({kBaseline, 1000, 1});
}

const bool kRegistered = [] {
  Register("Sqlite", store::Dialect::kSqlite);
  Register("Postgres", store::Dialect::kPostgres);
  return true;
}();

}  // namespace
}  // namespace md::operations
