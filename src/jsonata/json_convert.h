// Conversions between nlohmann::json (or ordered_json) and Value.
//
// Into a Value: numbers become doubles (as in JavaScript), objects keep the
// document's key order (ordered_json) under JavaScript's property order.
// Out of a Value, as JSON.stringify does: undefined is dropped from objects
// and becomes null in arrays; functions likewise; NaN and infinities
// become null; whole numbers within 2^53 become JSON integers.
#ifndef UNUM_JSONATA_JSON_CONVERT_H_
#define UNUM_JSONATA_JSON_CONVERT_H_

#include <cmath>
#include <cstdint>
#include <optional>

#include "jsonata/value.h"

namespace unum::jsonata {

template <typename Json>
Value FromJson(const Json& j, int depth = 0) {
  CheckNesting(depth);
  switch (j.type()) {
    case Json::value_t::null:
      return Value::Null();
    case Json::value_t::boolean:
      return Value::Bool(j.template get<bool>());
    case Json::value_t::number_integer:
      return Value::Number(static_cast<double>(j.template get<std::int64_t>()));
    case Json::value_t::number_unsigned:
      return Value::Number(
          static_cast<double>(j.template get<std::uint64_t>()));
    case Json::value_t::number_float:
      return Value::Number(j.template get<double>());
    case Json::value_t::string:
      return Value::String(j.template get<std::string>());
    case Json::value_t::array: {
      ArrayPtr a = NewArray();
      a->items.reserve(j.size());
      for (const auto& item : j) a->items.push_back(FromJson(item, depth + 1));
      return Value::Of(std::move(a));
    }
    case Json::value_t::object: {
      ObjectPtr o = NewObject();
      for (auto it = j.begin(); it != j.end(); ++it) {
        o->Set(it.key(), FromJson(it.value(), depth + 1));
      }
      return Value::Of(std::move(o));
    }
    default:
      return Value::Null();  // binary, discarded: not produced by parsers
  }
}

template <typename Json>
std::optional<Json> ToJson(const Value& v, int depth = 0) {
  CheckNesting(depth);
  switch (v.type()) {
    case Value::Type::kUndefined:
    case Value::Type::kFunction:
      return std::nullopt;
    case Value::Type::kNull:
      return Json(nullptr);
    case Value::Type::kBool:
      return Json(v.boolean());
    case Value::Type::kNumber: {
      double n = v.number();
      if (!std::isfinite(n)) return Json(nullptr);
      if (n == std::floor(n) && std::fabs(n) <= 9007199254740992.0) {
        return Json(static_cast<std::int64_t>(n));
      }
      return Json(n);
    }
    case Value::Type::kString:
      return Json(v.string());
    case Value::Type::kArray: {
      Json out = Json::array();
      for (const Value& item : v.array().items) {
        std::optional<Json> j = ToJson<Json>(item, depth + 1);
        out.push_back(j ? std::move(*j) : Json(nullptr));
      }
      return out;
    }
    case Value::Type::kObject: {
      Json out = Json::object();
      for (const auto& [k, item] : v.object().entries()) {
        std::optional<Json> j = ToJson<Json>(item, depth + 1);
        if (j) out[k] = std::move(*j);
      }
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_JSON_CONVERT_H_
