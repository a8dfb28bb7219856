#include "jsonata/value.h"

#include <algorithm>
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/function.h"

namespace unum::jsonata {
namespace {

constexpr std::size_t kIndexThreshold = 16;

// An "array index" key in JavaScript's sense: a canonical decimal integer
// below 2^32 - 1. Such keys come first in property order, ascending.
bool IsIndexKey(std::string_view key, std::uint64_t* out) {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  std::uint64_t n = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n >= 4294967295ull) return false;
  *out = n;
  return true;
}

// Members of containers being destroyed wait here instead of being
// destroyed recursively; the outermost destructor drains the list.
thread_local std::vector<Value>* pending_release = nullptr;

bool IsContainer(const Value& v) { return v.is_array() || v.is_object(); }

template <typename Range, typename Get>
void ReleaseMembers(Range& members, Get get) {
  if (pending_release != nullptr) {
    for (auto& m : members) {
      if (IsContainer(get(m))) pending_release->push_back(std::move(get(m)));
    }
    return;
  }
  std::vector<Value> list;
  pending_release = &list;
  for (auto& m : members) {
    if (IsContainer(get(m))) list.push_back(std::move(get(m)));
  }
  while (!list.empty()) {
    Value v = std::move(list.back());
    list.pop_back();
  }
  pending_release = nullptr;
}

}  // namespace

Array::~Array() {
  ReleaseMembers(items, [](Value& v) -> Value& { return v; });
}

Object::~Object() {
  ReleaseMembers(entries_, [](Entry& e) -> Value& { return e.second; });
}

void CheckNesting(int depth) {
  if (depth > kMaxValueNesting) throw JsonataError("U1001", -1);
}

Value Value::String(std::string s) {
  Value v(Type::kString);
  v.ptr_ = std::make_shared<std::string>(std::move(s));
  return v;
}

Value Value::String(std::shared_ptr<const std::string> s) {
  Value v(Type::kString);
  v.ptr_ = std::const_pointer_cast<std::string>(std::move(s));
  return v;
}

Value Value::Of(ArrayPtr a) {
  Value v(Type::kArray);
  v.ptr_ = std::move(a);
  return v;
}

Value Value::Of(ObjectPtr o) {
  Value v(Type::kObject);
  v.ptr_ = std::move(o);
  return v;
}

Value Value::Of(FunctionPtr f) {
  Value v(Type::kFunction);
  v.ptr_ = std::const_pointer_cast<Function>(std::move(f));
  return v;
}

const std::string& Value::string() const {
  static const std::string kEmpty;
  if (type_ != Type::kString) return kEmpty;
  return *static_cast<const std::string*>(ptr_.get());
}

Array& Value::array() const {
  if (type_ != Type::kArray) {
    thread_local Array empty;
    empty.items.clear();
    empty.sequence = empty.keep_singleton = empty.outer_wrapper = false;
    empty.tuple_stream = empty.cons = false;
    return empty;
  }
  return *static_cast<Array*>(ptr_.get());
}

Object& Value::object() const {
  if (type_ != Type::kObject) {
    thread_local Object empty;
    while (!empty.empty()) empty.Erase(empty.entries().front().first);
    return empty;
  }
  return *static_cast<Object*>(ptr_.get());
}

bool Value::is_numeric() const {
  return type_ == Type::kNumber && std::isfinite(number_);
}

bool Value::is_sequence() const {
  return type_ == Type::kArray && array().sequence;
}

std::ptrdiff_t Object::IndexOf(std::string_view key) const {
  if (index_) {
    auto it = index_->find(std::string(key));
    return it == index_->end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].first == key) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

const Value* Object::Find(std::string_view key) const {
  std::ptrdiff_t i = IndexOf(key);
  return i < 0 ? nullptr : &entries_[static_cast<std::size_t>(i)].second;
}

void Object::Reindex() {
  if (entries_.size() < kIndexThreshold) {
    index_.reset();
    return;
  }
  index_ = std::make_unique<std::unordered_map<std::string, std::size_t>>();
  index_->reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    index_->emplace(entries_[i].first, i);
  }
}

void Object::Set(std::string key, Value value) {
  std::ptrdiff_t existing = IndexOf(key);
  if (existing >= 0) {
    entries_[static_cast<std::size_t>(existing)].second = std::move(value);
    return;
  }
  std::uint64_t n = 0;
  if (IsIndexKey(key, &n)) {
    // After the last index key that is smaller.
    std::size_t at = 0;
    std::uint64_t m = 0;
    while (at < entries_.size() && IsIndexKey(entries_[at].first, &m) &&
           m < n) {
      ++at;
    }
    entries_.emplace(entries_.begin() + static_cast<std::ptrdiff_t>(at),
                     std::move(key), std::move(value));
    Reindex();
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  if (index_) {
    index_->emplace(entries_.back().first, entries_.size() - 1);
  } else if (entries_.size() >= kIndexThreshold) {
    Reindex();
  }
}

bool Object::Erase(std::string_view key) {
  std::ptrdiff_t i = IndexOf(key);
  if (i < 0) return false;
  entries_.erase(entries_.begin() + i);
  Reindex();
  return true;
}

ArrayPtr NewArray() { return std::make_shared<Array>(); }

ArrayPtr NewSequence() {
  auto a = std::make_shared<Array>();
  a->sequence = true;
  return a;
}

ObjectPtr NewObject() { return std::make_shared<Object>(); }

Value SequenceOf(const Value& v) {
  ArrayPtr s = NewSequence();
  if (!v.undefined()) s->items.push_back(v);
  return Value::Of(std::move(s));
}

namespace {
bool DeepEqualAt(const Value& a, const Value& b, int depth);
Value DeepCopyAt(const Value& v, int depth);
}  // namespace

bool DeepEqual(const Value& a, const Value& b) { return DeepEqualAt(a, b, 0); }

Value DeepCopy(const Value& v) { return DeepCopyAt(v, 0); }

namespace {
bool DeepEqualAt(const Value& a, const Value& b, int depth) {
  CheckNesting(depth);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kUndefined:
    case Value::Type::kNull:
      return true;
    case Value::Type::kBool:
      return a.boolean() == b.boolean();
    case Value::Type::kNumber:
      return a.number() == b.number();
    case Value::Type::kString:
      return a.string() == b.string();
    case Value::Type::kArray: {
      if (a.identity() == b.identity()) return true;
      const auto& x = a.array().items;
      const auto& y = b.array().items;
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!DeepEqualAt(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case Value::Type::kObject: {
      if (a.identity() == b.identity()) return true;
      const Object& x = a.object();
      const Object& y = b.object();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x.entries()) {
        const Value* w = y.Find(k);
        if (w == nullptr || !DeepEqualAt(v, *w, depth + 1)) return false;
      }
      return true;
    }
    case Value::Type::kFunction:
      return a.identity() == b.identity();
  }
  return false;
}

}  // namespace

bool Truthy(const Value& v) {
  switch (v.type()) {
    case Value::Type::kUndefined:
    case Value::Type::kNull:
    case Value::Type::kFunction:
      return false;
    case Value::Type::kBool:
      return v.boolean();
    case Value::Type::kNumber:
      return v.number() != 0 && !std::isnan(v.number());
    case Value::Type::kString:
      return !v.string().empty();
    case Value::Type::kObject:
      return !v.object().empty();
    case Value::Type::kArray: {
      const auto& items = v.array().items;
      if (items.size() == 1) return Truthy(items[0]);
      return std::any_of(items.begin(), items.end(),
                         [](const Value& x) { return Truthy(x); });
    }
  }
  return false;
}

bool JsTruthy(const Value& v) {
  if (v.is_array() || v.is_object() || v.is_function()) return true;
  return Truthy(v);
}

std::string_view TypeName(const Value& v) {
  switch (v.type()) {
    case Value::Type::kUndefined:
      return "undefined";
    case Value::Type::kNull:
      return "null";
    case Value::Type::kBool:
      return "boolean";
    case Value::Type::kNumber:
      return "number";
    case Value::Type::kString:
      return "string";
    case Value::Type::kArray:
      return "array";
    case Value::Type::kObject:
      return "object";
    case Value::Type::kFunction:
      return "function";
  }
  return "undefined";
}

bool IsArrayOfStrings(const Value& v) {
  return v.is_array() &&
         std::all_of(v.array().items.begin(), v.array().items.end(),
                     [](const Value& x) { return x.is_string(); });
}

bool IsArrayOfNumbers(const Value& v) {
  return v.is_array() &&
         std::all_of(v.array().items.begin(), v.array().items.end(),
                     [](const Value& x) { return x.is_numeric(); });
}

namespace {
Value DeepCopyAt(const Value& v, int depth) {
  CheckNesting(depth);
  if (v.is_array()) {
    ArrayPtr a = NewArray();
    const Array& src = v.array();
    a->sequence = src.sequence;
    a->keep_singleton = src.keep_singleton;
    a->cons = src.cons;
    a->items.reserve(src.items.size());
    for (const Value& x : src.items)
      a->items.push_back(DeepCopyAt(x, depth + 1));
    return Value::Of(std::move(a));
  }
  if (v.is_object()) {
    ObjectPtr o = NewObject();
    for (const auto& [k, x] : v.object().entries()) {
      o->Set(k, DeepCopyAt(x, depth + 1));
    }
    return Value::Of(std::move(o));
  }
  return v;
}

}  // namespace

}  // namespace unum::jsonata
