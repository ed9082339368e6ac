#pragma once
// A flow as loaded: what starts it, what must hold, what it does (docs/flows.md). Plain data; the
// loader (flow_loader.hpp) makes sure every name in it exists.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace sparks::flows {

// What a trigger is, as its plugin's descriptor says: it decides which trigger options apply and
// what the engine does with the event besides running flows.
enum class TriggerKind { other, comment, message, order };

struct TriggerSpec {
  std::string on;               // a trigger a plugin declares: "tiktok.comment", "echo.message"
  boost::json::object options;  // every key of `trigger:` but `on`
  // Set by the loader, and by the runtime from the loaded descriptors; not part of to_json(), so
  // that a stored flow always takes its trigger's current meaning.
  TriggerKind kind = TriggerKind::other;
};

struct ActionSpec {
  std::string name;  // "tiktok.send_dm", "contact.tag", "wait", …
  boost::json::object params;
};

struct FlowDefinition {
  std::string id, name;
  int priority = 100;  // lower is tried first
  TriggerSpec trigger;
  boost::json::array conditions;  // each a one-key object
  std::vector<ActionSpec> actions;
  bool draft_only = false;  // `status: draft` in the file: never published
  // Platforms of the trigger and actions, sorted, unique ("tiktok", "tiktok_shop"); `requires` in
  // to_json() (the name is a C++20 keyword, so the member cannot have it).
  std::vector<std::string> required_platforms;

  std::vector<std::string> skus() const;  // every seller_sku the actions name, once, in order
  boost::json::object to_json() const;
  static FlowDefinition from_json(const boost::json::object& json);  // the inverse of to_json
};

}  // namespace sparks::flows
