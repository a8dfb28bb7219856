// SigV4 signing: see sigv4.h.
#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <utility>
#include <vector>

#include "common/url_options.h"

namespace unum::aws {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Trims both ends and collapses inner runs of spaces to one.
std::string TrimValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

struct UrlParts {
  std::string host;  // with ":port" when the URL has one
  std::string path;
  std::string query;
};

Result<UrlParts> SplitUrl(const std::string& url) {
  size_t start;
  if (url.starts_with("http://")) {
    start = 7;
  } else if (url.starts_with("https://")) {
    start = 8;
  } else {
    return Status::InvalidArgument("SigV4: URL must be http(s)://...: " + url);
  }
  UrlParts parts;
  const size_t path_at = url.find_first_of("/?", start);
  parts.host =
      url.substr(start, path_at == std::string::npos ? std::string::npos
                                                     : path_at - start);
  if (parts.host.empty()) {
    return Status::InvalidArgument("SigV4: URL has no host: " + url);
  }
  std::string rest = path_at == std::string::npos ? "" : url.substr(path_at);
  const size_t q = rest.find('?');
  parts.path = rest.substr(0, q);
  if (q != std::string::npos) parts.query = rest.substr(q + 1);
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

std::string CanonicalPath(std::string_view path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out += PercentEncode(path.substr(start, slash - start));
    if (slash < path.size()) out.push_back('/');
    start = slash + 1;
  }
  return out;
}

Result<std::string> CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    std::string name, value;
    if (!PercentDecode(item.substr(0, eq), &name) ||
        (eq != std::string_view::npos &&
         !PercentDecode(item.substr(eq + 1), &value))) {
      return Status::InvalidArgument("SigV4: malformed %-escape in query");
    }
    pairs.emplace_back(PercentEncode(name), PercentEncode(value));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [n, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += n + "=" + v;
  }
  return out;
}

}  // namespace

std::string AmzDate(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return Hex(digest, sizeof(digest));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
       &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

Result<SigV4Signature> SignRequest(HttpRequest* request,
                                   const AwsCredentials& credentials,
                                   const SigV4Params& params) {
  if (params.amz_date.size() != 16 || params.amz_date[8] != 'T' ||
      params.amz_date.back() != 'Z') {
    return Status::InvalidArgument("SigV4: date must be YYYYMMDDTHHMMSSZ");
  }
  UNUM_ASSIGN_OR_RETURN(UrlParts url, SplitUrl(request->url));
  HttpHeaders& headers = request->headers;
  // Drop anything a previous signing added (a retried request is re-signed).
  std::erase_if(headers, [](const auto& h) {
    const std::string n = Lower(h.first);
    return n == "authorization" || n == "x-amz-date" ||
           n == "x-amz-security-token";
  });
  if (FindHeader(headers, "host").empty()) {
    headers.emplace_back("Host", url.host);
  }
  headers.emplace_back("X-Amz-Date", params.amz_date);
  if (!credentials.session_token.empty()) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }

  // Lowercased names, values joined in the order given.
  std::map<std::string, std::string> canonical;
  for (const auto& [name, value] : headers) {
    std::string& slot = canonical[Lower(name)];
    if (!slot.empty()) slot.push_back(',');
    slot += TrimValue(value);
  }
  std::string header_block, signed_headers;
  for (const auto& [name, value] : canonical) {
    header_block += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }
  std::string payload_hash = FindHeader(headers, "x-amz-content-sha256");
  if (payload_hash.empty()) payload_hash = Sha256Hex(request->body);
  UNUM_ASSIGN_OR_RETURN(std::string query, CanonicalQuery(url.query));

  SigV4Signature sig;
  sig.canonical_request = request->method + "\n" + CanonicalPath(url.path) +
                          "\n" + query + "\n" + header_block + "\n" +
                          signed_headers + "\n" + payload_hash;
  const std::string day = params.amz_date.substr(0, 8);
  const std::string scope =
      day + "/" + params.region + "/" + params.service + "/aws4_request";
  sig.string_to_sign = "AWS4-HMAC-SHA256\n" + params.amz_date + "\n" + scope +
                       "\n" + Sha256Hex(sig.canonical_request);
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, day);
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  key = HmacSha256(key, "aws4_request");
  const std::string raw = HmacSha256(key, sig.string_to_sign);
  sig.signature =
      Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  sig.authorization =
      "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
      ", SignedHeaders=" + signed_headers + ", Signature=" + sig.signature;
  headers.emplace_back("Authorization", sig.authorization);
  return sig;
}

}  // namespace unum::aws
