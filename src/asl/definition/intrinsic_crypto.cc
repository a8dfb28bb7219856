// States.Hash digests, on OpenSSL libcrypto.
#include <openssl/evp.h>

#include <array>

#include "asl/definition/intrinsic_util.h"

namespace unum::asl {
namespace {

struct Algorithm {
  std::string_view name;
  const EVP_MD* (*md)();
};

constexpr std::array<Algorithm, 5> kAlgorithms = {{
    {"MD5", &EVP_md5},
    {"SHA-1", &EVP_sha1},
    {"SHA-256", &EVP_sha256},
    {"SHA-384", &EVP_sha384},
    {"SHA-512", &EVP_sha512},
}};

}  // namespace

bool IsHashAlgorithm(std::string_view name) {
  for (const Algorithm& a : kAlgorithms) {
    if (a.name == name) return true;
  }
  return false;
}

std::string HashAlgorithmList() {
  std::string out;
  for (const Algorithm& a : kAlgorithms) {
    if (!out.empty()) out += ", ";
    out += a.name;
  }
  return out;
}

std::string HexDigest(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = nullptr;
  for (const Algorithm& a : kAlgorithms) {
    if (a.name == algorithm) md = a.md();
  }
  if (md == nullptr) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(len) * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace unum::asl
