#include "api/admin_encryption_handlers.h"

#include "api/json_response.h"
#include "operations/inventory.h"

namespace md::api {
namespace {

constexpr char kLog[] = "api.encryption";
constexpr char kPartialMessage[] =
    "Something unexpected happened - please inspect Grafana server log for details";

struct Endpoint {
  const char* path;
  AdminEncryption::Action action;
  const char* success;  // Grafana's texts (grafana-formats.md §5)
  const char* failure;
};

nlohmann::json ProgressJson(const operations::Progress::Snapshot& s) {
  return {{"running", s.running}, {"operation", s.operation}, {"column", s.column}, {"done", s.done},
          {"total", s.total}, {"failed", s.failed}, {"seconds", s.seconds},
          {"rowsPerSecond", s.rows_per_second}, {"etaSeconds", s.eta_seconds}};
}

void Answer(const Endpoint& e, const Result<operations::Report>& report, const logging::Logger& logger,
            Response& res) {
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kAlreadyExists) {
      logger.Warn(kLog, "Refused: another secrets operation is running", {{"path", e.path}});
      return WriteError(res, 409, report.status().message());
    }
    logger.Error(kLog, e.failure, {{"path", e.path}, {"error", report.status().message()}});
    return WriteError(res, 500, e.failure);
  }
  const bool partial = !report->ok();
  logger.Log(partial ? logging::Level::kWarn : logging::Level::kInfo, kLog,
             partial ? "Encryption operation finished with failures" : e.success,
             {{"path", e.path}, {"changed", std::to_string(report->TotalChanged())},
              {"failed", std::to_string(report->TotalFailed())}});
  std::size_t logged = 0;
  for (const auto& f : report->failures) {
    if (++logged > 100) break;  // the report in the response has them all
    logger.Warn(kLog, "Row failed", {{"table", f.table}, {"column", f.column}, {"id", f.row_id}, {"reason", f.reason}});
  }
  WriteJson(res, partial ? 206 : 200, {{"message", partial ? kPartialMessage : e.success}, {"report", report->ToJson()}});
}

}  // namespace

Result<operations::Report> AdminEncryption::Run(Action action) {
  std::unique_lock<std::mutex> lock(run_mu_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return AlreadyExistsError("another secrets operation is running in this server");
  }
  operations::SecretsMigrator migrator(deps_.db, deps_.manager, progress_);
  return (migrator.*action)(operations::RunOptions{});
}

Result<nlohmann::json> AdminEncryption::Status() {
  ASSIGN_OR_RETURN(operations::Inventory inventory,
                   operations::TakeInventory(deps_.db, deps_.providers, deps_.manager.secret_keys(),
                                             deps_.default_secret_key));
  nlohmann::json body = inventory.ToJson();
  body["progress"] = ProgressJson(progress_.Read());
  return body;
}

void RegisterAdminEncryptionRoutes(Router& router, const Authenticator& auth, AdminEncryption& admin) {
  using M = operations::SecretsMigrator;
  static const Endpoint kEndpoints[] = {
      {"/api/admin/encryption/reencrypt-secrets", &M::ReEncrypt, "Secrets re-encrypted successfully",
       "Failed to re-encrypt secrets"},
      {"/api/admin/encryption/rollback-secrets", &M::Rollback, "Secrets rolled back successfully",
       "Failed to rollback secrets"},
      {"/api/admin/encryption/reencrypt-data-keys", &M::ReEncryptDataKeys,
       "Data encryption keys re-encrypted successfully", "Failed to re-encrypt data keys"},
      {"/api/admin/encryption/rotate-data-keys", &M::RotateDataKeys, "Data encryption keys rotated successfully",
       "Failed to rotate data keys"},
  };
  for (const Endpoint& e : kEndpoints) {
    router.Add("POST", e.path, RequireServerAdmin(auth, [&admin, &e](const Request&, const Identity& who, Response& res) {
      admin.logger().Info(kLog, "Encryption operation started", {{"path", e.path}, {"by", who.login}});
      Answer(e, admin.Run(e.action), admin.logger(), res);
    }));
  }
  router.Add("GET", "/api/admin/encryption/status", RequireServerAdmin(auth, [&admin](auto&, auto&, Response& res) {
    auto body = admin.Status();
    if (!body.ok()) {
      admin.logger().Error(kLog, "Failed to read the encryption status", {{"error", body.status().message()}});
      return WriteError(res, 500, "Failed to read the encryption status");
    }
    WriteJson(res, 200, *body);
  }));
}

}  // namespace md::api
