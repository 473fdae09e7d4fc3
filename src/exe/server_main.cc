#include "exe/server_main.h"

#include <csignal>
#include <filesystem>
#include <iostream>

#include "api/admin_encryption_handlers.h"
#include "api/contact_point_handlers.h"
#include "api/data_source_handlers.h"
#include "api/plugin_setting_handlers.h"
#include "api/server.h"
#include "api/service_account_handlers.h"
#include "api/user_handlers.h"
#include "common/metrics.h"
#include "exe/resource_services.h"
#include "exe/secrets_runtime.h"
#include "exe/server_auth.h"
#include "secrets/key_check.h"
#include "config/settings_loader.h"
#include "exe/signals.h"
#include "logging/logger.h"
#include "store/database.h"
#include "store/migrator.h"

namespace md::exe {
namespace {

constexpr char kLog[] = "server";

std::unique_ptr<logging::Logger> NewLogger(const config::LogSettings& settings) {
  const auto level = logging::ParseLevel(settings.level);
  const auto format = logging::ParseFormat(settings.format);
  return logging::Logger::NewStderr(format.ok() ? *format : logging::Format::kLogfmt,
                                    level.ok() ? *level : logging::Level::kInfo);
}

void WarnAboutPublicDefaults(const config::Settings& settings, const logging::Logger& logger) {
  if (settings.security.secret_key_is_default) {
    logger.Warn(kLog,
                "INSECURE: the default [security] secret_key is in use; anyone can decrypt the "
                "secrets stored in this database. Set secret_key (or GF_SECURITY_SECRET_KEY) "
                "before storing secrets; see docs/configuration.md");
  }
  if (!settings.security.previous_secret_key.empty()) {
    logger.Warn(kLog,
                "secret_key rotation under way: previous_secret_key only decrypts, new values are "
                "AES-GCM under secret_key. Once every replica has it, run re-encrypt-data-keys and "
                "re-encrypt; remove previous_secret_key when status says it is no longer needed "
                "(docs/operations.md)");
  }
  if (settings.security.admin_password_is_default) {
    logger.Warn(kLog,
                "INSECURE: the default [security] admin_password is in use. Set admin_password "
                "(or GF_SECURITY_ADMIN_PASSWORD)");
  }
}

Status PrepareDataDirectory(const config::Settings& settings) {
  if (settings.database.type != "sqlite3") {
    return OkStatus();
  }
  std::error_code ec;
  const auto dir = std::filesystem::path(settings.database.path).parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return UnavailableError("cannot create the data directory " + dir.string() + ": " +
                            ec.message());
  }
  return OkStatus();
}

Result<std::unique_ptr<store::Database>> OpenDatabase(const config::Settings& settings,
                                                      const logging::Logger& logger) {
  if (Status s = PrepareDataDirectory(settings); !s.ok()) {
    return s;
  }
  ASSIGN_OR_RETURN(auto db, store::Database::Open(settings.database));
  logger.Info(kLog, "Database opened", {{"type", settings.database.type}});
  if (Status s = store::Migrate(*db); !s.ok()) {
    return s.WithContext("database migration failed");
  }
  return db;
}

// The wrong-key guard at start-up (docs/ha.md): a mismatch blocks every write of a secret and
// says how to fix it; the server still starts so that reads and health keep working.
void CheckKeys(store::Database& db, secrets::SecretsManager& manager, const logging::Logger& logger) {
  auto results = secrets::KeyCheck(db, manager).Run();
  if (!results.ok()) {
    if (results.status().code() == StatusCode::kFailedPrecondition) {
      logger.Error(kLog, results.status().message());
    } else {
      logger.Warn(kLog, "Key check could not run; writes stay allowed",
                  {{"error", results.status().message()}});
    }
    return;
  }
  for (const auto& r : *results) {
    const char* outcome = r.outcome == secrets::KeyCheckResult::Outcome::kVerified   ? "verified"
                          : r.outcome == secrets::KeyCheckResult::Outcome::kRecorded ? "recorded"
                                                                                     : "unverified";
    logger.Info(kLog, "Key check", {{"provider", r.provider}, {"outcome", outcome}, {"detail", r.detail}});
  }
}

int Serve(api::HttpServer& server, const logging::Logger& logger) {
  ShutdownSignals signals([&server, &logger](int signal_number) {
    logger.Info(kLog, "Shutting down: finishing in-flight requests",
                {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
    server.Stop();
  });
  if (Status s = server.Serve(); !s.ok()) {
    PrintFatal(s.message());
    return 1;
  }
  logger.Info(kLog, "Server stopped");
  return 0;
}

}  // namespace

void PrintFatal(const std::string& message) {
  std::string line = message;
  for (char& c : line) {
    c = (c == '\n' || c == '\r') ? ' ' : c;
  }
  std::cerr << "metrics-dashboard: " << line << std::endl;
}

int RunServer(const config::LoadOptions& options, const api::BuildInfo& build) {
  auto settings = config::LoadSettings(options);
  if (!settings.ok()) {
    PrintFatal(settings.status().message());
    return 2;
  }
  const auto logger = NewLogger(settings->log);
  logger->Info(kLog, "Starting metrics-dashboard",
               {{"version", build.version}, {"commit", build.commit},
                {"homepath", settings->homepath}});
  WarnAboutPublicDefaults(*settings, *logger);
  auto db = OpenDatabase(*settings, *logger);
  if (!db.ok()) {
    PrintFatal(db.status().message());
    return 1;
  }
  store::Database& database = **db;
  MetricsRegistry metrics;
  auto runtime = BuildSecretsRuntime(*settings, database, metrics);
  if (!runtime.ok()) {
    PrintFatal(runtime.status().message());
    return 2;
  }
  CheckKeys(database, *runtime->manager, *logger);
  metrics.GaugeCallback("md_database_pool_size", "Database sessions in the pool",
                        [&database] { return static_cast<double>(database.pool_size()); });
  metrics.GaugeCallback("md_database_pool_in_use", "Database sessions leased right now",
                        [&database] { return database.sessions_in_use(); });
  auto auth = BuildServerAuth(*settings, database, *logger);
  if (!auth.ok()) {
    PrintFatal(auth.status().message());
    return 1;
  }
  api::AdminEncryption admin_encryption({database, *runtime->manager, *runtime->providers,
                                         settings->security.secret_key_is_default, *logger});
  api::Router router;
  api::RegisterUserRoutes(router, *auth->authenticator, *auth->users, *logger);
  api::RegisterServiceAccountRoutes(router, *auth->authenticator, *auth->users, *logger);
  api::RegisterAdminEncryptionRoutes(router, *auth->authenticator, admin_encryption);
  router.Add("GET", "/api/health",
             api::NewHealthHandler([&database] { return database.Ping(); }, build, *logger));
  router.Add("GET", "/metrics", [&metrics](const api::Request&, api::Response& res) {
    res.set_content(metrics.RenderPrometheus(), "text/plain; version=0.0.4");
  });
  ResourceServices resources(database);
  api::AddDataSourceRoutes(router, *auth->authenticator,
                           {resources.data_sources, *runtime->manager, resources.health, *logger});
  api::AddPluginSettingRoutes(router, *auth->authenticator,
                              {resources.plugin_settings, *runtime->manager, *logger});
  api::AddContactPointRoutes(router, *auth->authenticator,
                             {resources.contact_points, *runtime->manager, *resources.http, *logger});
  auto server = api::HttpServer::New(settings->server, std::move(router), *logger);
  if (!server.ok()) {
    PrintFatal(server.status().message());
    return 1;
  }
  (*server)->RecordMetrics(metrics);
  if (Status s = (*server)->Bind(); !s.ok()) {
    PrintFatal(s.message());
    return 1;
  }
  return Serve(**server, *logger);
}

}  // namespace md::exe
