// States.Hash digests and States.Base64Encode/Decode, on OpenSSL libcrypto.
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

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '/';
}

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

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  if (data.empty()) return out;
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      // Padding only in the last two places, and nothing after it but '='.
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
    } else if (padding > 0 || !IsBase64Char(c)) {
      return std::nullopt;
    }
  }
  if (text.empty()) return std::string();
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace unum::asl
