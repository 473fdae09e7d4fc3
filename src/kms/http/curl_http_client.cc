#include "kms/http/curl_http_client.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "kms/http/url.h"

namespace md::kms::http {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<SecretBytes*>(user);
  size_t n = size * count;
  size_t old = body->size();
  body->resize(old + n);
  std::memcpy(body->data() + old, data, n);
  return n;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100 Continue): start over
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Joins one header line; an empty value uses "Name;" so curl sends it empty.
Slist BuildHeaders(const HttpRequest& request) {
  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    has_content_type = has_content_type || HeaderNameEquals(name, "Content-Type");
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    list = curl_slist_append(list, line.c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue
  if (!has_content_type) list = curl_slist_append(list, "Content-Type:");  // no form default
  return Slist(list);
}

}  // namespace

std::shared_ptr<CurlHttpClient> CurlHttpClient::New(CurlOptions options) {
  GlobalInit();
  return std::shared_ptr<CurlHttpClient>(new CurlHttpClient(std::move(options)));
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) const {
  Result<Url> url = ParseUrl(request.url);
  if (!url.ok()) return url.status();
  const std::string where = request.method + " " + url->HostHeader();
  EasyHandle handle(curl_easy_init());
  if (!handle) return UnavailableError(where + ": curl_easy_init failed");
  CURL* h = handle.get();
  Slist headers = BuildHeaders(request);
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(request.timeout.count(), 1)));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    static const char kEmpty[] = "";
    const void* data = request.body.empty() ? kEmpty : static_cast<const void*>(request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, data);
  }

  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    return UnavailableError(where + ": " + (error[0] != 0 ? error : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace md::kms::http
