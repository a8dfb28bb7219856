// CurlHttpClient: see curl_http_client.h.
#include "aws/curl_http_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <atomic>
#include <mutex>
#include <string>
#include <utility>

namespace unum::aws {

std::string FindHeader(const HttpHeaders& headers, const std::string& name) {
  for (const auto& [k, v] : headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  }
  return "";
}

namespace {

// curl_global_init once per process, before any handle.
void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One transfer's state while it is on a multi handle.
struct Transfer {
  const HttpRequest* request = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  CURLcode code = CURLE_OK;
  bool done = false;
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  static_cast<Transfer*>(user)->response.body.append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.pop_back();
  }
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (e.g. after 100-continue)
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    size_t start = colon + 1;
    while (start < line.size() && line[start] == ' ') ++start;
    t->response.headers.emplace_back(line.substr(0, colon), line.substr(start));
  }
  return size * n;
}

}  // namespace

struct CurlHttpClient::Impl {
  CurlHttpClientOptions options;
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
  std::atomic<long> connections{0};

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->locks[data].unlock();
  }

  void Setup(Transfer* t) {
    const HttpRequest& r = *t->request;
    CURL* e = curl_easy_init();
    t->easy = e;
    curl_easy_setopt(e, CURLOPT_SHARE, share);
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(r.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, WriteHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    if (r.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      if (r.method != "POST") {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      }
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(r.body.size()));
    }
    // No "Expect: 100-continue" round trip for large bodies.
    t->headers = curl_slist_append(t->headers, "Expect:");
    for (const auto& [name, value] : r.headers) {
      const std::string line = name + ": " + value;
      t->headers = curl_slist_append(t->headers, line.c_str());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  }

  Result<HttpResponse> Finish(Transfer* t) {
    long opened = 0;
    curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &opened);
    connections.fetch_add(opened);
    Result<HttpResponse> result = Status::Unavailable("not sent");
    if (!t->done) {
      result = Status::Unavailable("HTTP " + t->request->method + " " +
                                   t->request->url + " did not complete");
    } else if (t->code != CURLE_OK) {
      std::string what = t->error[0] ? t->error : curl_easy_strerror(t->code);
      result = Status::Unavailable("HTTP " + t->request->method + " " +
                                   t->request->url + " failed: " + what);
    } else {
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->response.status);
      result = std::move(t->response);
    }
    curl_slist_free_all(t->headers);
    curl_easy_cleanup(t->easy);
    return result;
  }
};

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  GlobalInit();
  impl_->options = options;
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
}

CurlHttpClient::~CurlHttpClient() { curl_share_cleanup(impl_->share); }

long CurlHttpClient::connections_opened() const {
  return impl_->connections.load();
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  std::vector<Result<HttpResponse>> all = SendAll({request});
  return std::move(all[0]);
}

std::vector<Result<HttpResponse>> CurlHttpClient::SendAll(
    const std::vector<HttpRequest>& requests) {
  std::vector<Transfer> transfers(requests.size());
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    impl_->options.max_connections);
  for (size_t i = 0; i < requests.size(); ++i) {
    transfers[i].request = &requests[i];
    impl_->Setup(&transfers[i]);
    curl_easy_setopt(transfers[i].easy, CURLOPT_PRIVATE, &transfers[i]);
    curl_multi_add_handle(multi, transfers[i].easy);
  }
  int running = 0;
  do {
    CURLMcode mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) break;
    CURLMsg* msg = nullptr;
    int left = 0;
    while ((msg = curl_multi_info_read(multi, &left)) != nullptr) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      t->code = msg->data.result;
      t->done = true;
    }
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  } while (running > 0);
  std::vector<Result<HttpResponse>> out;
  out.reserve(requests.size());
  for (Transfer& t : transfers) {
    curl_multi_remove_handle(multi, t.easy);
    out.push_back(impl_->Finish(&t));
  }
  curl_multi_cleanup(multi);
  return out;
}

}  // namespace unum::aws
