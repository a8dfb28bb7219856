// CheckDuplicateKeys: a SAX pass over the definition text that finds a key
// repeated in one object (nlohmann::json would keep only the last) and
// names where it is in state machine terms.
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "asl/definition/parse_util.h"

namespace unum::asl {
namespace {

using nlohmann::json;
using PathItem = std::variant<std::string, size_t>;

// Turns a JSON path into a Location plus the remaining field path, e.g.
// States/P/Branches/0/States/B/Parameters -> state "P" > branch 0 >
// state "B", "Parameters".
std::pair<Location, std::string> Describe(const std::vector<PathItem>& path) {
  Location loc;
  bool in_machine = true;
  size_t i = 0;
  auto key_at = [&](size_t k) -> const std::string* {
    return k < path.size() ? std::get_if<std::string>(&path[k]) : nullptr;
  };
  while (i < path.size()) {
    const std::string* key = key_at(i);
    if (key == nullptr) break;
    if (in_machine) {
      const std::string* name = key_at(i + 1);
      if (*key != "States" || name == nullptr) break;
      loc = loc.State(*name);
      i += 2;
      in_machine = false;
    } else if (*key == "Branches" && i + 1 < path.size() &&
               std::holds_alternative<size_t>(path[i + 1])) {
      loc = loc.Branch(std::get<size_t>(path[i + 1]));
      i += 2;
      in_machine = true;
    } else if (*key == "Iterator" || *key == "ItemProcessor") {
      loc = loc.Child(*key);
      i += 1;
      in_machine = true;
    } else {
      break;
    }
  }
  std::string field;
  for (; i < path.size(); ++i) {
    if (const std::string* key = std::get_if<std::string>(&path[i])) {
      if (!field.empty()) field += ".";
      field += *key;
    } else {
      field += "[" + std::to_string(std::get<size_t>(path[i])) + "]";
    }
  }
  return {loc, field};
}

// Deeper documents are rejected before any recursive processing.
constexpr size_t kMaxDepth = 512;

class DuplicateFinder : public nlohmann::json_sax<json> {
 public:
  Status status() const { return status_; }

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override {
    return Value();
  }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }

  bool start_object(std::size_t) override {
    if (!Enter()) return false;
    frames_.emplace_back();
    frames_.back().is_object = true;
    return true;
  }
  bool key(string_t& key) override {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(key).second) {
      std::vector<PathItem> path = Path();
      auto [loc, field] = Describe(path);
      if (field == "States") {
        status_ = loc.Error("States", "duplicate state name \"" + key + "\"");
      } else {
        status_ = loc.Error(field, "duplicate key \"" + key + "\"");
      }
      return false;
    }
    frame.current = key;
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (!Enter()) return false;
    frames_.emplace_back();
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) override {
    status_ = Status::InvalidArgument(std::string("state machine: not valid "
                                                  "JSON: ") +
                                      e.what());
    return false;
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string current;    // the key being read (objects)
    size_t next_index = 0;  // the index of the next element (arrays)
    size_t index = 0;       // the index of the element being read (arrays)
  };

  // Called for an object or array: false when it would be too deep.
  bool Enter() {
    Value();
    if (frames_.size() >= kMaxDepth) {
      status_ =
          Status::InvalidArgument("state machine: JSON nested deeper than " +
                                  std::to_string(kMaxDepth) + " levels");
      return false;
    }
    return true;
  }

  // Called for every value: advances the enclosing array's index.
  bool Value() {
    if (!frames_.empty() && !frames_.back().is_object) {
      frames_.back().index = frames_.back().next_index++;
    }
    return true;
  }

  // The path of the innermost object being read.
  std::vector<PathItem> Path() const {
    std::vector<PathItem> path;
    for (size_t i = 0; i + 1 < frames_.size(); ++i) {
      if (frames_[i].is_object) {
        path.emplace_back(frames_[i].current);
      } else {
        path.emplace_back(frames_[i].index);
      }
    }
    return path;
  }

  std::vector<Frame> frames_;
  Status status_;
};

}  // namespace

Status CheckDuplicateKeys(std::string_view text) {
  DuplicateFinder finder;
  bool ok = json::sax_parse(text.begin(), text.end(), &finder);
  if (!ok && finder.status().ok()) {
    return Status::InvalidArgument("state machine: not valid JSON");
  }
  return finder.status();
}

}  // namespace unum::asl
