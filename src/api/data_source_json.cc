#include "api/data_source_json.h"

#include "api/json_body.h"

namespace md::api {
namespace {

using nlohmann::json;

Status ReadStrings(const json& body, resources::DataSource& ds) {
  for (auto [key, out] : {std::pair{"uid", &ds.uid}, {"access", &ds.access}, {"url", &ds.url},
                          {"user", &ds.user}, {"database", &ds.database},
                          {"basicAuthUser", &ds.basic_auth_user}}) {
    if (Status s = ReadString(body, key, *out); !s.ok()) return s;
  }
  if (ds.uid.size() > 40) return InvalidArgumentError("uid must be at most 40 characters");
  if (ds.name.size() > 190) return InvalidArgumentError("name must be at most 190 characters");
  return OkStatus();
}

Status ReadFlags(const json& body, resources::DataSource& ds) {
  for (auto [key, out] : {std::pair{"basicAuth", &ds.basic_auth},
                          {"withCredentials", &ds.with_credentials}, {"isDefault", &ds.is_default}}) {
    if (Status s = ReadBool(body, key, *out); !s.ok()) return s;
  }
  return OkStatus();
}

std::string_view TypeName(std::string_view type) {
  if (type == "postgres" || type == "grafana-postgresql-datasource") return "PostgreSQL";
  if (type == "prometheus") return "Prometheus";
  if (type == "loki") return "Loki";
  if (type == "mysql") return "MySQL";
  return "";
}

}  // namespace

Result<DataSourceRequest> ParseDataSourceRequest(const httplib::Request& request) {
  ASSIGN_OR_RETURN(json body, ParseJsonObject(request.body));
  DataSourceRequest out;
  resources::DataSource& ds = out.fields;
  if (Status s = RequireString(body, "name", ds.name); !s.ok()) return s;
  if (Status s = RequireString(body, "type", ds.type); !s.ok()) return s;
  if (Status s = ReadStrings(body, ds); !s.ok()) return s;
  if (Status s = ReadFlags(body, ds); !s.ok()) return s;
  if (Status s = ReadObjectText(body, "jsonData", ds.json_data); !s.ok()) return s;
  if (Status s = ReadInt(body, "version", out.version); !s.ok()) return s;
  if (Status s = ReadStringMap(body, "secureJsonData", out.secure_json_data); !s.ok()) return s;
  return out;
}

json DataSourceJson(const resources::DataSource& ds, const std::map<std::string, bool>& fields) {
  json json_data = json::parse(ds.json_data, nullptr, /*allow_exceptions=*/false);
  if (json_data.is_discarded()) json_data = json::object();
  json out = {{"id", ds.id}, {"uid", ds.uid}, {"orgId", ds.org_id}, {"name", ds.name},
              {"type", ds.type}, {"access", ds.access}, {"url", ds.url}, {"user", ds.user},
              {"database", ds.database}, {"basicAuth", ds.basic_auth},
              {"basicAuthUser", ds.basic_auth_user}, {"withCredentials", ds.with_credentials},
              {"isDefault", ds.is_default}, {"jsonData", json_data},
              {"secureJsonFields", fields.empty() ? json::object() : json(fields)},
              {"version", ds.version}, {"readOnly", ds.read_only}};
  if (auto name = TypeName(ds.type); !name.empty()) out["typeName"] = name;
  return out;
}

}  // namespace md::api
