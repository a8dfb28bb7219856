// CurlHttpClient against a real HTTP server (the tests' dynalite): keep-
// alive, many requests in flight, and timeouts against a silent socket.
#include "aws/curl_http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "datastore/dynamodb/dynalite_test_server.h"

namespace unum::aws {
namespace {

HttpRequest ListTables(const std::string& endpoint) {
  // Unsigned: dynalite answers 400 MissingAuthenticationToken, which is a
  // response all the same.
  return {.method = "POST",
          .url = endpoint + "/",
          .headers = {{"X-Amz-Target", "DynamoDB_20120810.ListTables"},
                      {"Content-Type", "application/x-amz-json-1.0"}},
          .body = "{}",
          .timeout = std::chrono::milliseconds(5000)};
}

TEST(CurlHttpClientTest, ReusesOneConnectionForSequentialRequests) {
  Result<std::string> endpoint =
      dynamodb::testing::SharedTestDynamoDbEndpoint();
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  CurlHttpClient http;
  for (int i = 0; i < 20; ++i) {
    Result<HttpResponse> r = http.Send(ListTables(*endpoint));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("MissingAuthenticationToken"), std::string::npos);
    EXPECT_FALSE(FindHeader(r->headers, "content-type").empty());
  }
  EXPECT_EQ(http.connections_opened(), 1);
}

TEST(CurlHttpClientTest, SendAllKeepsManyRequestsInFlight) {
  Result<std::string> endpoint =
      dynamodb::testing::SharedTestDynamoDbEndpoint();
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  CurlHttpClient http;
  std::vector<HttpRequest> requests(16, ListTables(*endpoint));
  requests[5].url = "http://127.0.0.1:1/";  // refused: fails alone
  std::vector<Result<HttpResponse>> out = http.SendAll(requests);
  ASSERT_EQ(out.size(), 16u);
  for (int i = 0; i < 16; ++i) {
    if (i == 5) {
      EXPECT_EQ(out[i].status().code(), StatusCode::kUnavailable);
    } else {
      ASSERT_TRUE(out[i].ok()) << i << " " << out[i].status().ToString();
      EXPECT_EQ(out[i]->status, 400);
    }
  }
  // Concurrent requests need their own connections; all go back to the
  // cache, so a second round opens none.
  const long opened = http.connections_opened();
  EXPECT_EQ(opened, 15);
  std::vector<Result<HttpResponse>> again =
      http.SendAll(std::vector<HttpRequest>(8, ListTables(*endpoint)));
  for (const auto& r : again) EXPECT_TRUE(r.ok());
  EXPECT_EQ(http.connections_opened(), opened);
}

TEST(CurlHttpClientTest, TimesOutOnASilentServer) {
  // A listening socket that never answers (the kernel accepts for it).
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  CurlHttpClient http;
  HttpRequest r = {.method = "GET",
                   .url = url,
                   .headers = {},
                   .body = "",
                   .timeout = std::chrono::milliseconds(300)};
  const auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> out = http.Send(r);
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_EQ(out.status().code(), StatusCode::kUnavailable);
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

}  // namespace
}  // namespace unum::aws
