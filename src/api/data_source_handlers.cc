#include "api/data_source_handlers.h"

#include <charconv>
#include <memory>

#include "api/data_source_json.h"
#include "api/error_mapping.h"
#include "api/json_response.h"
#include "api/warn_once.h"

namespace md::api {
namespace {

using nlohmann::json;
using resources::DataSource;
using resources::DataSourceKey;

// The handlers' shared state; one instance per router, captured by every route.
class DataSourceHandlers {
 public:
  explicit DataSourceHandlers(DataSourceApiDeps deps) : deps_(deps), warn_once_(deps.logger) {}

  void List(const Identity& id, Response& res);
  void Get(const Result<DataSourceKey>& key, const Identity& id, Response& res);
  void GetByName(const Request& req, const Identity& id, Response& res, bool id_only);
  void Create(const Request& req, const Identity& id, Response& res);
  void Update(const Result<DataSourceKey>& key, const Request& req, const Identity& id, Response& res);
  void Delete(const Result<DataSourceKey>& key, const Identity& id, Response& res);
  void Health(const Request& req, const Identity& id, Response& res);

 private:
  json ToJson(const DataSource& ds);
  Result<resources::DataSourceCommand> Command(const Request& req);
  void Fail(Response& res, const Status& s, std::string_view what) {
    WriteStatusError(res, s, deps_.logger, "api", std::string(what) + " failed");
  }

  DataSourceApiDeps deps_;
  WarnOnce warn_once_;
};

Result<DataSourceKey> IdKey(const Request& req) {
  const std::string_view text = req.Param("id");
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return InvalidArgumentError("id is invalid");
  }
  return DataSourceKey{id, ""};
}

Result<DataSourceKey> UidKey(const Request& req) {
  return DataSourceKey{0, std::string(req.Param("uid"))};
}

json DataSourceHandlers::ToJson(const DataSource& ds) {
  auto fields = resources::ComputeSecureJsonFields(deps_.manager, ds.secure_json_data);
  if (!fields.error.ok()) {
    const std::string id = std::to_string(ds.id);
    warn_once_.Warn("data_source:" + id + ":" + fields.error.message(),
                    "Data source secrets cannot be decrypted; secureJsonFields left empty",
                    {{"datasource_id", id}, {"uid", ds.uid}, {"reason", fields.error.message()}});
  }
  return api::DataSourceJson(ds, fields.fields);
}

void DataSourceHandlers::List(const Identity& id, Response& res) {
  auto rows = deps_.store.List(id.org_id);
  if (!rows.ok()) return Fail(res, rows.status(), "Listing data sources");
  json out = json::array();
  for (const DataSource& ds : *rows) out.push_back(ToJson(ds));
  WriteJson(res, 200, out);
}

void DataSourceHandlers::Get(const Result<DataSourceKey>& key, const Identity& id, Response& res) {
  if (!key.ok()) return Fail(res, key.status(), "Reading the data source");
  auto ds = deps_.store.Get(id.org_id, *key);
  if (!ds.ok()) return Fail(res, ds.status(), "Reading the data source");
  WriteJson(res, 200, ToJson(*ds));
}

void DataSourceHandlers::GetByName(const Request& req, const Identity& id, Response& res,
                                   bool id_only) {
  auto ds = deps_.store.GetByName(id.org_id, req.Param("name"));
  if (!ds.ok()) return Fail(res, ds.status(), "Reading the data source");
  WriteJson(res, 200, id_only ? json{{"id", ds->id}} : ToJson(*ds));
}

Result<resources::DataSourceCommand> DataSourceHandlers::Command(const Request& req) {
  ASSIGN_OR_RETURN(DataSourceRequest parsed, ParseDataSourceRequest(req.http));
  resources::DataSourceCommand command;
  command.fields = std::move(parsed.fields);
  command.version = parsed.version;
  ASSIGN_OR_RETURN(command.secrets, resources::EncryptSecrets(deps_.manager, parsed.secure_json_data));
  return command;
}

void DataSourceHandlers::Create(const Request& req, const Identity& id, Response& res) {
  auto command = Command(req);
  if (!command.ok()) return Fail(res, command.status(), "Adding the data source");
  auto ds = deps_.store.Create(id.org_id, *command);
  if (!ds.ok()) return Fail(res, ds.status(), "Adding the data source");
  WriteJson(res, 200, {{"datasource", ToJson(*ds)}, {"id", ds->id}, {"message", "Datasource added"},
                       {"name", ds->name}});
}

void DataSourceHandlers::Update(const Result<DataSourceKey>& key, const Request& req,
                                const Identity& id, Response& res) {
  if (!key.ok()) return Fail(res, key.status(), "Updating the data source");
  auto command = Command(req);
  if (!command.ok()) return Fail(res, command.status(), "Updating the data source");
  auto ds = deps_.store.Update(id.org_id, *key, *command);
  if (!ds.ok()) return Fail(res, ds.status(), "Updating the data source");
  WriteJson(res, 200, {{"datasource", ToJson(*ds)}, {"id", ds->id},
                       {"message", "Datasource updated"}, {"name", ds->name}});
}

void DataSourceHandlers::Delete(const Result<DataSourceKey>& key, const Identity& id, Response& res) {
  if (!key.ok()) return Fail(res, key.status(), "Deleting the data source");
  auto ds = deps_.store.Delete(id.org_id, *key);
  if (!ds.ok()) return Fail(res, ds.status(), "Deleting the data source");
  WriteJson(res, 200, {{"message", "Data source deleted"}, {"id", ds->id}});
}

void DataSourceHandlers::Health(const Request& req, const Identity& id, Response& res) {
  auto ds = deps_.store.Get(id.org_id, DataSourceKey{0, std::string(req.Param("uid"))});
  if (!ds.ok()) return Fail(res, ds.status(), "Checking the data source");
  auto secrets = resources::DecryptSecureJson(deps_.manager, ds->secure_json_data);
  if (!secrets.ok()) {
    WriteJson(res, 400, {{"status", "ERROR"},
                         {"message", "cannot decrypt the data source's secrets: " +
                                         secrets.status().message()}});
    return;
  }
  const resources::HealthResult result = deps_.health.Check(*ds, *secrets);
  WriteJson(res, result.ok ? 200 : 400,
            {{"status", result.ok ? "OK" : "ERROR"}, {"message", result.message}});
}

}  // namespace

void AddDataSourceRoutes(Router& router, const Authenticator& auth, DataSourceApiDeps deps) {
  auto h = std::make_shared<DataSourceHandlers>(deps);
  const auto read = [&auth](AuthenticatedHandler f) { return RequireRole(auth, OrgRole::kViewer, std::move(f)); };
  const auto write = [&auth](AuthenticatedHandler f) { return RequireRole(auth, OrgRole::kEditor, std::move(f)); };
  router.Add("GET", "/api/datasources", read([h](const Request&, const Identity& id, Response& res) { h->List(id, res); }));
  router.Add("POST", "/api/datasources", write([h](const Request& q, const Identity& id, Response& res) { h->Create(q, id, res); }));
  for (auto [pattern, key] : {std::pair{"/api/datasources/uid/:uid", &UidKey}, {"/api/datasources/:id", &IdKey}}) {
    router.Add("GET", pattern, read([h, key](const Request& q, const Identity& id, Response& res) { h->Get(key(q), id, res); }));
    router.Add("PUT", pattern, write([h, key](const Request& q, const Identity& id, Response& res) { h->Update(key(q), q, id, res); }));
    router.Add("DELETE", pattern, write([h, key](const Request& q, const Identity& id, Response& res) { h->Delete(key(q), id, res); }));
  }
  router.Add("GET", "/api/datasources/name/:name", read([h](const Request& q, const Identity& id, Response& res) { h->GetByName(q, id, res, false); }));
  router.Add("GET", "/api/datasources/id/:name", read([h](const Request& q, const Identity& id, Response& res) { h->GetByName(q, id, res, true); }));
  router.Add("GET", "/api/datasources/uid/:uid/health", read([h](const Request& q, const Identity& id, Response& res) { h->Health(q, id, res); }));
}

}  // namespace md::api
