// SigV4 against the worked examples of AWS's published SigV4 test suite
// (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service
// "service"): exact canonical requests, strings to sign and signatures.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

namespace unum::aws {
namespace {

AwsCredentials SuiteCredentials() {
  return {.access_key_id = "AKIDEXAMPLE",
          .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
          .session_token = ""};
}

SigV4Params SuiteParams() {
  return {.region = "us-east-1",
          .service = "service",
          .amz_date = "20150830T123600Z"};
}

constexpr char kEmptyHash[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Signature Sign(HttpRequest request,
                    AwsCredentials credentials = SuiteCredentials()) {
  Result<SigV4Signature> sig =
      SignRequest(&request, credentials, SuiteParams());
  EXPECT_TRUE(sig.ok()) << sig.status().ToString();
  return sig.ok() ? *sig : SigV4Signature{};
}

// A request to the suite's host.
HttpRequest Request(const std::string& method,
                    const std::string& path_and_query, HttpHeaders headers = {},
                    std::string body = "") {
  HttpRequest r;
  r.method = method;
  r.url = "https://example.amazonaws.com" + path_and_query;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

HttpRequest Get(const std::string& path_and_query) {
  return Request("GET", path_and_query);
}

TEST(SigV4Test, GetVanilla) {
  SigV4Signature sig = Sign(Get("/"));
  EXPECT_EQ(sig.canonical_request,
            std::string("GET\n/\n\nhost:example.amazonaws.com\n"
                        "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n") +
                kEmptyHash);
  EXPECT_EQ(sig.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n"
            "20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(sig.signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(sig.authorization,
            "AWS4-HMAC-SHA256 "
            "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1"
            "d763fbf31");
}

TEST(SigV4Test, GetVanillaQueryOrderKeyCase) {
  SigV4Signature sig = Sign(Get("/?Param2=value2&Param1=value1"));
  EXPECT_EQ(sig.canonical_request.substr(0, 34),
            "GET\n/\nParam1=value1&Param2=value2\n");
  EXPECT_EQ(sig.signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Test, GetVanillaUtf8Query) {
  EXPECT_EQ(Sign(Get("/?\xe1\x88\xb4=bar")).signature,
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4Test, GetUtf8Path) {
  SigV4Signature sig = Sign(Get("/\xe1\x88\xb4"));
  EXPECT_EQ(sig.canonical_request.substr(0, 15), "GET\n/%E1%88%B4\n");
  EXPECT_EQ(sig.signature,
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4Test, GetUnreserved) {
  EXPECT_EQ(
      Sign(Get("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
               "vwxyz"))
          .signature,
      "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
}

TEST(SigV4Test, GetHeaderKeyDuplicate) {
  HttpRequest r = Get("/");
  r.headers = {{"My-Header1", "value2"},
               {"My-Header1", "value2"},
               {"My-Header1", "value1"}};
  SigV4Signature sig = Sign(r);
  EXPECT_NE(sig.canonical_request.find("\nmy-header1:value2,value2,value1\n"),
            std::string::npos);
  EXPECT_EQ(sig.signature,
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST(SigV4Test, GetHeaderValueTrim) {
  HttpRequest r = Get("/");
  r.headers = {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}};
  SigV4Signature sig = Sign(r);
  EXPECT_NE(
      sig.canonical_request.find("\nmy-header1:value1\nmy-header2:\"a b c\"\n"),
      std::string::npos);
  EXPECT_EQ(sig.signature,
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4Test, GetVanillaWithSessionToken) {
  AwsCredentials creds = SuiteCredentials();
  creds.session_token =
      "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  HttpRequest r = Get("/");
  Result<SigV4Signature> sig = SignRequest(&r, creds, SuiteParams());
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->signature,
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
  EXPECT_EQ(FindHeader(r.headers, "x-amz-security-token"), creds.session_token);
}

TEST(SigV4Test, PostVanilla) {
  HttpRequest r = Request("POST", "/");
  EXPECT_EQ(Sign(r).signature,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4Test, PostVanillaQuery) {
  HttpRequest r = Request("POST", "/?Param1=value1");
  EXPECT_EQ(Sign(r).signature,
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
}

TEST(SigV4Test, PostHeaderValueCase) {
  HttpRequest r = Request("POST", "/", {{"My-Header1", "VALUE1"}});
  EXPECT_EQ(Sign(r).signature,
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
}

TEST(SigV4Test, PostFormBodyHashesThePayload) {
  HttpRequest r = Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Content-Length", "13"},
       {"x-amz-content-sha256",
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"}},
      "Param1=value1");
  EXPECT_EQ(Sha256Hex(r.body),
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  SigV4Signature sig = Sign(r);
  EXPECT_EQ(sig.signature,
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
}

TEST(SigV4Test, ResigningReplacesTheOldHeaders) {
  HttpRequest r = Get("/");
  ASSERT_TRUE(SignRequest(&r, SuiteCredentials(), SuiteParams()).ok());
  Result<SigV4Signature> again =
      SignRequest(&r, SuiteCredentials(), SuiteParams());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(r.headers.size(), 3u);  // Host, X-Amz-Date, Authorization
}

TEST(SigV4Test, HostKeepsThePortAndBadInputIsRejected) {
  HttpRequest r = Request("POST", "/");
  r.url = "http://127.0.0.1:8000/";
  ASSERT_TRUE(SignRequest(&r, SuiteCredentials(), SuiteParams()).ok());
  EXPECT_EQ(FindHeader(r.headers, "host"), "127.0.0.1:8000");
  HttpRequest bad = Get("/");
  bad.url = "ftp://x/";
  EXPECT_EQ(
      SignRequest(&bad, SuiteCredentials(), SuiteParams()).status().code(),
      StatusCode::kInvalidArgument);
  SigV4Params params = SuiteParams();
  params.amz_date = "2015-08-30";
  EXPECT_EQ(SignRequest(&r, SuiteCredentials(), params).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SigV4Test, AmzDateFormatsUtc) {
  EXPECT_EQ(AmzDate(std::chrono::system_clock::from_time_t(1440938160)),
            "20150830T123600Z");
}

}  // namespace
}  // namespace unum::aws
