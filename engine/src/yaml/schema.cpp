#include "yaml/schema.hpp"

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <tuple>

#include "util/resources.hpp"
#include "yaml/parse.hpp"
#include "yaml/to_json.hpp"

namespace sparks::yaml {

namespace {

namespace json = boost::json;

// A path into a document, one key or array index per step ("lifecycle", "transitions", "3").
using Steps = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Compiled schemas, one per embedded resource, built on first use and never freed.

struct CompiledSchema {
  json::value document;  // kept to explain errors (field lists, descriptions, patterns)
  valijson::Schema schema;
};

const CompiledSchema& compiled_schema(std::string_view resource) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<CompiledSchema>, std::less<>> cache;

  std::lock_guard lock(mutex);
  if (auto it = cache.find(resource); it != cache.end()) return *it->second;

  std::optional<std::string_view> text = resources::find(resource);
  if (!text) throw std::logic_error("schema '" + std::string(resource) + "' is not embedded");
  auto compiled = std::make_unique<CompiledSchema>();
  try {
    compiled->document = json::parse(*text);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(compiled->document),
                          compiled->schema);
  } catch (const std::exception& error) {
    throw std::logic_error("schema '" + std::string(resource) + "' is not valid: " + error.what());
  }
  return *cache.emplace(std::string(resource), std::move(compiled)).first->second;
}

// ---------------------------------------------------------------------------------------------
// Paths: valijson's context, JSON pointers, and the dotted form people read.

// valijson writes `<root>`, then `[key]` or `[index]` per step.
Steps steps_from_context(const std::vector<std::string>& context) {
  Steps steps;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      steps.push_back(part.substr(1, part.size() - 2));
  }
  return steps;
}

// RFC 6901: '~' is written "~0" and '/' is written "~1".
std::string to_pointer(const Steps& steps) {
  std::string pointer;
  for (const std::string& step : steps) {
    pointer += '/';
    for (char c : step) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer += c;
      }
    }
  }
  return pointer;
}

Steps from_pointer(std::string_view pointer) {
  Steps steps;
  while (!pointer.empty() && pointer.front() == '/') {
    pointer.remove_prefix(1);
    std::size_t end = pointer.find('/');
    std::string_view token = pointer.substr(0, end);
    std::string step;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        step += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        step += token[i];
      }
    }
    steps.push_back(std::move(step));
    pointer = end == std::string_view::npos ? std::string_view() : pointer.substr(end);
  }
  return steps;
}

// The value at `steps`, or nullptr if the document has no such value.
const json::value* value_at(const json::value& doc, const Steps& steps) {
  const json::value* at = &doc;
  for (const std::string& step : steps) {
    if (const json::object* object = at->if_object()) {
      auto it = object->find(step);
      if (it == object->end()) return nullptr;
      at = &it->value();
    } else if (const json::array* array = at->if_array()) {
      std::size_t index = 0;
      auto [end, error] = std::from_chars(step.data(), step.data() + step.size(), index);
      if (error != std::errc() || end != step.data() + step.size() || index >= array->size())
        return nullptr;
      at = &(*array)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

// "lifecycle.transitions[3].to": how a person would name the place in the file.
std::string display(const json::value& doc, const Steps& steps) {
  std::string out;
  const json::value* at = &doc;
  for (const std::string& step : steps) {
    if (at && at->is_array()) {
      out += "[" + step + "]";
    } else {
      if (!out.empty()) out += '.';
      out += step;
    }
    at = at ? value_at(*at, {step}) : nullptr;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Finding the part of the schema that applies at a path, to explain an error with it (which fields
// are allowed, which type was expected). Follows the keywords our schemas use to describe
// structure; returns nullptr past anything else (e.g. inside a oneOf branch).

const json::object* resolve(const json::value& schema_root, const json::value* schema) {
  for (int hops = 0; schema && hops < 16; ++hops) {
    const json::object* object = schema->if_object();
    if (!object) return nullptr;
    auto ref = object->find("$ref");
    if (ref == object->end() || !ref->value().is_string()) return object;
    std::string_view target = ref->value().get_string();
    if (!target.starts_with('#')) return nullptr;  // only references inside the same schema
    boost::system::error_code ec;
    schema = schema_root.find_pointer(target.substr(1), ec);
  }
  return nullptr;
}

const json::value* find_member(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

const json::object* subschema_at(const json::value& schema_root, const json::value& doc,
                                 const Steps& steps) {
  const json::object* schema = resolve(schema_root, &schema_root);
  const json::value* at = &doc;
  for (const std::string& step : steps) {
    if (!schema || !at) return nullptr;
    const json::value* next = nullptr;
    if (at->is_array()) {
      next = find_member(*schema, "items");
    } else {
      if (const json::value* properties = find_member(*schema, "properties");
          properties && properties->is_object())
        next = find_member(properties->get_object(), step);
      if (const json::value* patterns = find_member(*schema, "patternProperties");
          !next && patterns && patterns->is_object()) {
        for (const auto& [pattern, subschema] : patterns->get_object()) {
          if (std::regex_search(step, std::regex(std::string(pattern)))) {
            next = &subschema;
            break;
          }
        }
      }
      if (!next) next = find_member(*schema, "additionalProperties");
    }
    schema = resolve(schema_root, next);
    at = value_at(*at, {step});
  }
  return schema;
}

std::string string_member(const json::object* schema, std::string_view key) {
  if (!schema) return {};
  const json::value* member = find_member(*schema, key);
  return member && member->is_string() ? std::string(member->get_string()) : std::string();
}

// ---------------------------------------------------------------------------------------------
// Turning valijson's errors into one message per real problem.

struct RawError {
  Steps steps;
  std::string description;
};

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Messages valijson adds on the way out of a failed sub-check ("item #3 failed", "property 'x'
// failed"): the sub-check has already said what is wrong.
bool is_cascade(const std::string& description) {
  static constexpr std::string_view kCascades[] = {
      "Failed to validate against schema associated with property",
      "Failed to validate item #",
      "Failed to validate against additional properties schema",
      "Failed to validate against schema associated with pattern",
      "Failed to validate against dependent schema",
      "Failed to validate against a conditional schema",
      "Failed to validate against any schemas allowed by anyOf",
      "Failed to validate against child schema #",
  };
  return std::any_of(std::begin(kCascades), std::end(kCascades),
                     [&](std::string_view prefix) { return starts_with(description, prefix); });
}

constexpr std::string_view kOneOfNone =
    "Failed to validate against any child schemas allowed by oneOf";
constexpr std::string_view kOneOfMany = "Failed to validate against exactly one child schema";
constexpr std::string_view kMissing = "Missing required property '";
constexpr std::string_view kUnknown = "Object contains a property that could not be validated";
constexpr std::string_view kWrongType = "Value type not permitted by 'type' constraint";
constexpr std::string_view kNoMatch = "Failed to match regex specified by 'pattern' constraint";

// The text between the first pair of single quotes, e.g. the property in "Missing required
// property 'to'.".
std::string quoted(const std::string& description) {
  std::size_t open = description.find('\'');
  std::size_t close = description.find('\'', open + 1);
  if (open == std::string::npos || close == std::string::npos) return {};
  return description.substr(open + 1, close - open - 1);
}

std::string join_quoted(const std::vector<std::string>& names, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? std::string(last_separator) : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

std::string type_name(std::string_view json_schema_type) {
  if (json_schema_type == "object") return "a mapping";
  if (json_schema_type == "array") return "a list";
  if (json_schema_type == "string") return "a string";
  if (json_schema_type == "integer") return "a whole number";
  if (json_schema_type == "number") return "a number";
  if (json_schema_type == "boolean") return "true or false";
  if (json_schema_type == "null") return "empty";
  return std::string(json_schema_type);
}

std::string expected_types(const json::object* schema) {
  const json::value* type = schema ? find_member(*schema, "type") : nullptr;
  if (!type) return {};
  if (type->is_string()) return type_name(type->get_string());
  std::string out;
  if (const json::array* types = type->if_array()) {
    for (const json::value& each : *types) {
      if (!each.is_string()) continue;
      if (!out.empty()) out += " or ";
      out += type_name(each.get_string());
    }
  }
  return out;
}

std::string shortened(std::string text) {
  constexpr std::size_t kLongest = 40;
  if (text.size() > kLongest) text = text.substr(0, kLongest) + "...";
  return text;
}

std::string describe_value(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "empty";
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
      return "the number " + json::serialize(value);
    case json::kind::double_: {
      // Shortest form that reads back the same, keeping the decimal point of `1.0` so that
      // "must be a whole number, not the number 1.0" explains itself (Boost.JSON prints "1E0").
      char buffer[32];
      auto [end, error] = std::to_chars(std::begin(buffer), std::end(buffer), value.get_double());
      std::string text(buffer, error == std::errc() ? end : buffer);
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return "the number " + text;
    }
    case json::kind::string:
      return "the string '" + shortened(std::string(value.get_string())) + "'";
    case json::kind::array:
      return "a list";
    case json::kind::object:
      return "a mapping";
  }
  return "a value";
}

class Explainer {
 public:
  Explainer(const json::value& schema, const json::value& doc) : schema_(schema), doc_(doc) {}

  std::vector<SchemaError> explain(const std::vector<RawError>& raw) {
    note_exactly_one_of(raw);
    for (const RawError& error : raw) {
      if (is_cascade(error.description) || is_exactly_one_of(error)) continue;
      explain_one(error);
    }
    explain_property_names({});
    keep_cascades_that_explain_something_new(raw);
    return std::move(out_);
  }

 private:
  // "lifecycle.transitions[3]: ", or nothing at the top of the document.
  std::string where(const Steps& steps) const {
    std::string place = display(doc_, steps);
    return place.empty() ? std::string() : place + ": ";
  }

  void add(const Steps& steps, std::string message, bool at_key = false) {
    std::string path = to_pointer(steps);
    for (const SchemaError& seen : out_) {
      if (seen.path == path && seen.message == message) return;
    }
    out_.push_back({std::move(path), std::move(message), at_key});
  }

  // `oneOf: [{required: [on]}, {required: [after]}]` is how a schema says "exactly one of these
  // fields". valijson reports it as one missing field per branch plus a oneOf failure; say it once.
  std::vector<std::string> exactly_one_of_fields(const Steps& steps) const {
    const json::object* schema = subschema_at(schema_, doc_, steps);
    const json::value* one_of = schema ? find_member(*schema, "oneOf") : nullptr;
    if (!one_of || !one_of->is_array()) return {};
    std::vector<std::string> fields;
    for (const json::value& branch : one_of->get_array()) {
      const json::object* object = resolve(schema_, &branch);
      if (!object || object->size() != 1) return {};
      const json::value* required = find_member(*object, "required");
      if (!required || !required->is_array() || required->get_array().size() != 1) return {};
      const json::value& field = required->get_array()[0];
      if (!field.is_string()) return {};
      fields.emplace_back(field.get_string());
    }
    return fields;
  }

  void note_exactly_one_of(const std::vector<RawError>& raw) {
    for (const RawError& error : raw) {
      const bool none = starts_with(error.description, kOneOfNone);
      if (!none && !starts_with(error.description, kOneOfMany)) continue;
      std::vector<std::string> fields = exactly_one_of_fields(error.steps);
      if (fields.empty()) continue;
      exactly_one_of_[to_pointer(error.steps)] = fields;
      // `required` holds for anything but a mapping, so every branch matched a non-mapping: its
      // type error is the whole story.
      const json::value* value = value_at(doc_, error.steps);
      if (!value || !value->is_object()) continue;
      const std::string choices = join_quoted(fields, " or ");
      if (none) {
        add(error.steps, where(error.steps) + "needs one of " + choices);
      } else {
        add(error.steps, where(error.steps) + "give only one of " + choices);
      }
    }
  }

  bool is_exactly_one_of(const RawError& error) const {
    auto it = exactly_one_of_.find(to_pointer(error.steps));
    if (it == exactly_one_of_.end()) return false;
    if (starts_with(error.description, kOneOfNone) || starts_with(error.description, kOneOfMany))
      return true;
    const std::vector<std::string>& fields = it->second;
    return starts_with(error.description, kMissing) &&
           std::find(fields.begin(), fields.end(), quoted(error.description)) != fields.end();
  }

  void explain_one(const RawError& error) {
    const Steps& steps = error.steps;
    const std::string& description = error.description;
    if (starts_with(description, kMissing)) {
      const std::string field = quoted(description);
      add(steps, steps.empty() ? "missing required top-level field '" + field + "'"
                               : where(steps) + "missing required field '" + field + "'");
    } else if (starts_with(description, kUnknown)) {
      explain_unknown_fields(steps, description);
    } else if (starts_with(description, kWrongType)) {
      explain_wrong_type(steps);
    } else if (starts_with(description, kNoMatch)) {
      explain_no_match(steps);
    } else if (starts_with(description, kOneOfNone) || starts_with(description, kOneOfMany)) {
      // A oneOf of whole sub-schemas: the branches' own errors (kept) say more than this line.
      if (starts_with(description, kOneOfMany))
        add(steps, where(steps) + "matches more than one of the allowed forms");
    } else {
      explain_limit(steps, description);
    }
  }

  // valijson names only the first field it could not place; every unknown field gets its own line.
  void explain_unknown_fields(const Steps& steps, const std::string& description) {
    const json::object* schema = subschema_at(schema_, doc_, steps);
    const json::value* value = value_at(doc_, steps);
    if (!schema || !value || !value->is_object()) {
      // valijson ends the message with ": 'name'."
      Steps field = steps;
      field.push_back(quoted(description.substr(description.rfind(": '"))));
      add(field, where(steps) + "unknown field '" + field.back() + "'", true);
      return;
    }
    std::vector<std::string> allowed;
    if (const json::value* properties = find_member(*schema, "properties");
        properties && properties->is_object()) {
      for (const auto& [name, ignored] : properties->get_object()) allowed.emplace_back(name);
    }
    std::vector<std::string> patterns;
    if (const json::value* pattern_properties = find_member(*schema, "patternProperties");
        pattern_properties && pattern_properties->is_object()) {
      for (const auto& [pattern, ignored] : pattern_properties->get_object())
        patterns.emplace_back(pattern);
    }
    for (const auto& [key, ignored] : value->get_object()) {
      const std::string name(key);
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      if (std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
            return std::regex_search(name, std::regex(pattern));
          }))
        continue;
      Steps field = steps;
      field.push_back(name);
      const std::string place = display(doc_, steps);
      if (!allowed.empty()) {
        add(field,
            "unknown field '" + name + "'" + (place.empty() ? "" : " in " + place) +
                " (allowed: " + join_quoted(allowed, ", ") + ")",
            true);
      } else {
        add(field,
            "invalid name '" + name + "'" + (place.empty() ? "" : " in " + place) +
                ": it must match " + join_quoted(patterns, " or "),
            true);
      }
    }
  }

  void explain_wrong_type(const Steps& steps) {
    const json::value* value = value_at(doc_, steps);
    std::string expected = expected_types(subschema_at(schema_, doc_, steps));
    if (expected.empty()) expected = "of another type";
    add(steps, where(steps) + "must be " + expected + ", not " +
                   (value ? describe_value(*value) : std::string("this")));
  }

  void explain_no_match(const Steps& steps) {
    const json::object* schema = subschema_at(schema_, doc_, steps);
    const json::value* value = value_at(doc_, steps);
    const std::string text = value && value->is_string() ? std::string(value->get_string()) : "";
    const std::string description = string_member(schema, "description");
    if (!description.empty()) {
      add(steps, where(steps) + "'" + shortened(text) + "' is not " + description);
    } else {
      add(steps, where(steps) + "'" + shortened(text) + "' does not match " +
                     string_member(schema, "pattern"));
    }
  }

  // Bounds (minimum, minLength, minProperties...): valijson's wording prints numbers as doubles,
  // so the bound is read back from the schema when it is one we know.
  void explain_limit(const Steps& steps, const std::string& description) {
    const json::object* schema = subschema_at(schema_, doc_, steps);
    auto bound = [&](std::string_view keyword) -> std::string {
      const json::value* value = schema ? find_member(*schema, keyword) : nullptr;
      return value ? json::serialize(*value) : std::string();
    };
    if (starts_with(description, "Expected number greater than or equal to") &&
        !bound("minimum").empty()) {
      add(steps, where(steps) + "must be at least " + bound("minimum"));
    } else if (starts_with(description, "String should be no fewer than") &&
               bound("minLength") == "1") {
      add(steps, where(steps) + "must not be empty");
    } else if (starts_with(description, "Object should have no fewer than") &&
               !bound("minProperties").empty()) {
      add(steps, where(steps) + "needs at least " + bound("minProperties") + " entr" +
                     (bound("minProperties") == "1" ? "y" : "ies"));
    } else {
      add(steps, where(steps) + description);
    }
  }

  // valijson checks `propertyNames` without saying which key failed (nor that any did, beyond the
  // cascade line of the enclosing property), so keys are checked against it here, everywhere.
  void explain_property_names(const Steps& steps) {
    const json::value* value = value_at(doc_, steps);
    if (!value) return;
    Steps child = steps;
    child.emplace_back();
    if (const json::array* array = value->if_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        child.back() = std::to_string(i);
        explain_property_names(child);
      }
      return;
    }
    const json::object* object = value->if_object();
    if (!object) return;
    const json::object* schema = subschema_at(schema_, doc_, steps);
    const json::value* names = schema ? find_member(*schema, "propertyNames") : nullptr;
    const json::object* name_schema = names ? resolve(schema_, names) : nullptr;
    const std::string pattern = string_member(name_schema, "pattern");
    const std::string description = string_member(name_schema, "description");
    for (const auto& [key, ignored] : *object) {
      child.back() = std::string(key);
      if (!pattern.empty() && !std::regex_search(child.back(), std::regex(pattern))) {
        const std::string place = display(doc_, steps);
        add(child,
            "'" + child.back() + "'" + (place.empty() ? "" : " in " + place) + " is not " +
                (description.empty() ? "a valid name: it must match " + pattern : description),
            true);
      }
      explain_property_names(child);
    }
  }

  // A cascade line with nothing specific under it (a check that failed without saying why) is
  // the only clue left, so it stays, in a plainer form.
  void keep_cascades_that_explain_something_new(const std::vector<RawError>& raw) {
    for (const RawError& error : raw) {
      if (!is_cascade(error.description)) continue;
      const std::string pointer = to_pointer(error.steps);
      const bool explained = std::any_of(out_.begin(), out_.end(), [&](const SchemaError& seen) {
        return seen.path.compare(0, pointer.size(), pointer) == 0;
      });
      if (!explained) add(error.steps, where(error.steps) + "is not valid here");
    }
  }

  const json::value& schema_;
  const json::value& doc_;
  // Pointers whose "exactly one of these fields" failure is already explained, with the fields.
  std::map<std::string, std::vector<std::string>> exactly_one_of_;
  std::vector<SchemaError> out_;
};

// ---------------------------------------------------------------------------------------------
// The YAML side: from a pointer back to a node.

struct Located {
  std::optional<YAML::Node> key;  // set when the value was reached through a mapping
  YAML::Node value;
  YAML::Mark last_mark;  // the innermost position known on the way, for nodes without one
};

// Nodes are rebound with reset(): assigning one yaml-cpp node to another would rewrite the
// document itself.
Located locate(const YAML::Node& root, const Steps& steps) {
  Located at{std::nullopt, root, root.Mark()};
  for (const std::string& step : steps) {
    const YAML::Node parent = at.value;  // a second handle on the same node, not a copy of it
    bool found = false;
    if (parent.IsMap()) {
      for (const auto& entry : parent) {
        if (entry.first.IsScalar() && entry.first.Scalar() == step) {
          at.key.emplace(entry.first);
          at.value.reset(entry.second);
          found = true;
          break;
        }
      }
    } else if (parent.IsSequence()) {
      std::size_t index = 0;
      auto [end, error] = std::from_chars(step.data(), step.data() + step.size(), index);
      if (error == std::errc() && end == step.data() + step.size() && index < parent.size()) {
        at.key.reset();
        at.value.reset(parent[index]);
        found = true;
      }
    }
    if (!found) break;
    if (at.key && !at.key->Mark().is_null()) at.last_mark = at.key->Mark();
    if (!at.value.Mark().is_null()) at.last_mark = at.value.Mark();
  }
  return at;
}

}  // namespace

YAML::Mark mark_at(const YAML::Node& root, std::string_view pointer, bool at_key) {
  const Located at = locate(root, from_pointer(pointer));
  const bool empty_value = at.value.IsNull() || !at.value.IsDefined();
  if (at.key && (at_key || empty_value) && !at.key->Mark().is_null()) return at.key->Mark();
  if (!at.value.Mark().is_null()) return at.value.Mark();
  return at.last_mark;
}

std::vector<SchemaError> validate_json(const json::value& doc, std::string_view schema_resource) {
  const CompiledSchema& compiled = compiled_schema(schema_resource);
  valijson::Validator validator;  // holds a regex cache, so one per call keeps this thread-safe
  valijson::ValidationResults results;
  if (validator.validate(compiled.schema, valijson::adapters::BoostJsonAdapter(doc), &results))
    return {};

  std::vector<RawError> raw;
  for (const auto& error : results)
    raw.push_back({steps_from_context(error.context), error.description});
  return Explainer(compiled.document, doc).explain(raw);
}

Diagnostics validate_yaml(const std::string& file, const YAML::Node& root,
                          std::string_view schema_resource) {
  Diagnostics out;
  for (const SchemaError& error : validate_json(to_json(root), schema_resource))
    out.push_back(diagnostic_at(file, mark_at(root, error.path, error.at_key), error.message));
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return out;
}

}  // namespace sparks::yaml
