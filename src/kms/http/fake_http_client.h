// FakeHttpClient for tests: replays scripted results in order (repeating the last one) and
// records every request it was given. Thread-safe.
#pragma once

#include <mutex>
#include <vector>

#include "kms/http/http_client.h"

namespace md::kms::http {

class FakeHttpClient : public HttpClient {
 public:
  void Push(Result<HttpResponse> result) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(result));
  }
  void PushResponse(int status, std::string_view body, Headers headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = SecretBytes(body);
    r.headers = std::move(headers);
    Push(std::move(r));
  }

  Result<HttpResponse> Send(const HttpRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    HttpRequest copy;
    copy.method = request.method;
    copy.url = request.url;
    copy.headers = request.headers;
    copy.body = SecretBytes(request.body.view());
    copy.timeout = request.timeout;
    requests_.push_back(std::move(copy));
    if (script_.empty()) return UnavailableError("fake: no scripted response");
    std::size_t i = std::min(next_++, script_.size() - 1);
    const Result<HttpResponse>& r = script_[i];
    if (!r.ok()) return r.status();
    HttpResponse out;
    out.status = r->status;
    out.headers = r->headers;
    out.body = SecretBytes(r->body.view());
    return out;
  }

  std::size_t RequestCount() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }
  const HttpRequest& Request(std::size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.at(i);
  }

 private:
  mutable std::mutex mu_;
  std::vector<Result<HttpResponse>> script_;  // Guarded by mu_
  mutable std::size_t next_ = 0;              // Guarded by mu_
  mutable std::vector<HttpRequest> requests_;  // Guarded by mu_
};

}  // namespace md::kms::http
