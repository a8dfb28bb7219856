#include "sim/tagging.h"

#include <utility>

namespace unum::sim {

using nlohmann::json;

namespace {

json TagOf(const std::string& instance, const std::string& nonce, int64_t k) {
  json t = {{"by", instance}, {"n", nonce}};
  if (k >= 0) t["k"] = k;
  return t;
}

json TagOne(const json& v, const std::string& instance,
            const std::string& nonce, int64_t k) {
  if (v.is_object()) {
    json o = v;
    o[kTagKey] = TagOf(instance, nonce, k);
    return o;
  }
  return json{{kTaggedValueKey, v}, {kTagKey, TagOf(instance, nonce, k)}};
}

void UntagInPlace(json& v) {
  if (v.is_object()) {
    auto it = v.find(kTaggedValueKey);
    if (it != v.end()) {
      json inner = std::move(*it);
      v = std::move(inner);
      UntagInPlace(v);
      return;
    }
    v.erase(kTagKey);
    for (auto& [key, member] : v.items()) UntagInPlace(member);
  } else if (v.is_array()) {
    for (json& e : v) UntagInPlace(e);
  }
}

const json* TagField(const json& value) {
  const json* v = &value;
  if (v->is_array()) {
    if (v->empty()) return nullptr;
    v = &(*v)[0];
  }
  if (!v->is_object()) return nullptr;
  auto it = v->find(kTagKey);
  if (it == v->end() || !it->is_object()) return nullptr;
  return &*it;
}

}  // namespace

json Tag(const json& output, const std::string& instance,
         const std::string& nonce) {
  if (output.is_array()) {
    json a = json::array();
    for (size_t k = 0; k < output.size(); ++k) {
      a.push_back(TagOne(output[k], instance, nonce, static_cast<int64_t>(k)));
    }
    return a;
  }
  return TagOne(output, instance, nonce, -1);
}

json Untag(const json& value) {
  json v = value;
  UntagInPlace(v);
  return v;
}

std::string NonceOf(const json& value) {
  const json* t = TagField(value);
  if (t == nullptr) return "";
  return t->value("n", "");
}

std::string ProducerOf(const json& value) {
  const json* t = TagField(value);
  if (t == nullptr) return "";
  return t->value("by", "");
}

}  // namespace unum::sim
