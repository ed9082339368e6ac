// The YAML layer under every loader: parsing with positions, typing scalars as JSON, and schema
// errors mapped back from valijson's paths to the line and column of the node at fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "yaml/parse.hpp"
#include "yaml/schema.hpp"
#include "yaml/to_json.hpp"

namespace sparks::yaml {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kLifecycleSchema = "schemas/lifecycle.schema.json";

// 1-based "line:column" of a mark, as diagnostics print it.
std::string where(const YAML::Mark& mark) {
  return std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string listing(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += "\n  " + d.to_string();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(YamlParse, SyntaxErrorIsReportedAtYamlCppsMarkCountedFromOne) {
  const ParseResult result = parse("f.yaml", "a: [1, 2\nb: 3\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(), "f.yaml:2:2: error: end of sequence flow not found");
}

TEST(YamlParse, DuplicateKeysAreFoundAtAnyDepth) {
  const ParseResult result = parse("f.yaml",
                                   "top:\n"
                                   "  - name: a\n"
                                   "    name: b\n"
                                   "  - { x: 1, y: 2, x: 3 }\n");
  ASSERT_EQ(result.diagnostics.size(), 2u) << listing(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "f.yaml:3:5: error: duplicate key 'name' (first defined at line 2)");
  EXPECT_EQ(result.diagnostics[1].to_string(),
            "f.yaml:4:19: error: duplicate key 'x' (first defined at line 4, column 7)");
}

TEST(YamlParse, SameKeyInSiblingMappingsIsFine) {
  EXPECT_TRUE(parse("f.yaml", "a: {x: 1}\nb: {x: 2}\n").diagnostics.empty());
}

TEST(YamlParse, AliasInsideItsOwnAnchorIsRefused) {
  const ParseResult result = parse("f.yaml", "a: &loop [ *loop ]\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_THAT(result.diagnostics[0].message, HasSubstr("nesting deeper than"));
}

TEST(YamlParse, AliasExpansionIsBounded) {
  // Each level doubles the previous one: 2^30 nodes once expanded.
  std::string text = "l0: &l0 [x, x]\n";
  for (int i = 1; i <= 30; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) +
            ", *l" + std::to_string(i - 1) + "]\n";
  }
  const ParseResult result = parse("f.yaml", text);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_THAT(result.diagnostics[0].message, HasSubstr("expands to more than"));
}

// ---------------------------------------------------------------------------------------------
// YAML to JSON, typed by the YAML 1.2 core schema

boost::json::value scalar(const std::string& yaml) {
  return to_json(YAML::Load("v: " + yaml)).as_object().at("v");
}

TEST(YamlToJson, PlainScalarsAreTypedLikeTheCoreSchema) {
  EXPECT_TRUE(scalar("~").is_null());
  EXPECT_TRUE(scalar("null").is_null());
  EXPECT_TRUE(scalar("").is_null());
  EXPECT_EQ(scalar("true"), boost::json::value(true));
  EXPECT_EQ(scalar("False"), boost::json::value(false));
  EXPECT_EQ(scalar("42"), boost::json::value(42));
  EXPECT_EQ(scalar("-7"), boost::json::value(-7));
  EXPECT_EQ(scalar("+3"), boost::json::value(3));
  EXPECT_EQ(scalar("0x1F"), boost::json::value(31));
  EXPECT_EQ(scalar("0o17"), boost::json::value(15));
  EXPECT_EQ(scalar("1.5"), boost::json::value(1.5));
  EXPECT_EQ(scalar("1e3"), boost::json::value(1000.0));
  EXPECT_EQ(scalar("18446744073709551615"), boost::json::value(18446744073709551615ull));
  EXPECT_TRUE(std::isinf(scalar(".inf").as_double()));
  EXPECT_TRUE(std::isnan(scalar(".nan").as_double()));
}

TEST(YamlToJson, YamlOneOneBooleansAndQuotedScalarsStayStrings) {
  EXPECT_EQ(scalar("yes"), boost::json::value("yes"));  // a boolean only in YAML 1.1
  EXPECT_EQ(scalar("10m"), boost::json::value("10m"));
  EXPECT_EQ(scalar("\"42\""), boost::json::value("42"));
  EXPECT_EQ(scalar("'true'"), boost::json::value("true"));
  EXPECT_EQ(scalar("!!str 42"), boost::json::value("42"));
  EXPECT_EQ(scalar("!!int \"42\""), boost::json::value(42));
}

TEST(YamlToJson, MappingsAndSequencesKeepTheirShape) {
  const boost::json::value json = to_json(YAML::Load("a: [1, {b: x}]\nc: {}\n"));
  EXPECT_EQ(json, boost::json::parse(R"({"a": [1, {"b": "x"}], "c": {}})"));
}

// ---------------------------------------------------------------------------------------------
// From a JSON pointer back to the YAML node

const char* const kDocument =
    "lifecycle:\n"                                   // 1
    "  name: door\n"                                 // 2
    "  states:\n"                                    // 3
    "    closed:\n"                                  // 4
    "      entry: [notify, log]\n"                   // 5
    "  transitions:\n"                               // 6
    "    - { from: closed, on: knock, to: open }\n"  // 7
    "    - from: open\n"                             // 8
    "      after: 10m\n"                             // 9
    "  a/b~c: 1\n";                                  // 10

TEST(YamlMarkAt, PointerLandsOnTheValue) {
  const YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(where(mark_at(root, "")), "1:1");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/name")), "2:9");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/states/closed/entry/1")), "5:23");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/0")), "7:7");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/0/to")), "7:38");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/1")), "8:7");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/1/after")), "9:14");
}

TEST(YamlMarkAt, AtKeyLandsOnTheKey) {
  const YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/0/to", true)), "7:34");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/1/after", true)), "9:7");
}

TEST(YamlMarkAt, EmptyValueLandsOnItsKey) {
  // yaml-cpp places an empty value at the next token, often on another line.
  const YAML::Node root = YAML::Load("states:\n  closed:\n  open:\n");
  EXPECT_EQ(where(mark_at(root, "/states/closed")), "2:3");
}

TEST(YamlMarkAt, EscapedPointerTokensAreDecoded) {
  const YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(where(mark_at(root, "/lifecycle/a~1b~0c")), "10:10");
}

TEST(YamlMarkAt, PointerPastTheDocumentLandsOnTheDeepestNodeReached) {
  const YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(where(mark_at(root, "/lifecycle/transitions/7/to")), "7:5");
  EXPECT_EQ(where(mark_at(root, "/lifecycle/nothing")), "2:3");
}

TEST(YamlMarkAt, LookingUpDoesNotChangeTheDocument) {
  const YAML::Node root = YAML::Load(kDocument);
  const std::string before = YAML::Dump(root);
  mark_at(root, "/lifecycle/transitions/1/after");
  mark_at(root, "/lifecycle/missing/deeper");
  EXPECT_EQ(YAML::Dump(root), before);
}

// ---------------------------------------------------------------------------------------------
// Schema errors: one per problem, named and placed

boost::json::value door(const std::string& transitions_json) {
  return boost::json::parse(R"({"lifecycle": {"name": "door", "version": 1, "initial": "closed",
      "states": {"closed": null}, "transitions": )" +
                            transitions_json + "}}");
}

TEST(YamlSchema, ValidDocumentHasNoErrors) {
  EXPECT_TRUE(
      validate_json(door(R"([{"from": "closed", "after": "1s"}])"), kLifecycleSchema).empty());
}

TEST(YamlSchema, WrongTypeIsOneErrorAtTheValue) {
  const auto errors = validate_json(
      door(R"([{"from": "closed", "on": "x"}, {"from": "closed", "on": "y", "to": 3}])"),
      kLifecycleSchema);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "/lifecycle/transitions/1/to");
  EXPECT_EQ(errors[0].message, "lifecycle.transitions[1].to: must be a string, not the number 3");
  EXPECT_FALSE(errors[0].at_key);
}

TEST(YamlSchema, UnknownFieldsAreEachReportedAtTheirKey) {
  const auto errors = validate_json(
      door(R"([{"from": "closed", "on": "x", "when": "a", "unless": "b"}])"), kLifecycleSchema);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "/lifecycle/transitions/0/when");
  EXPECT_TRUE(errors[0].at_key);
  EXPECT_THAT(errors[0].message, HasSubstr("unknown field 'when' in lifecycle.transitions[0]"));
  EXPECT_EQ(errors[1].path, "/lifecycle/transitions/0/unless");
}

TEST(YamlSchema, MissingFieldIsReportedAtTheMappingThatLacksIt) {
  const auto errors = validate_json(door(R"([{"on": "x"}])"), kLifecycleSchema);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "/lifecycle/transitions/0");
  EXPECT_EQ(errors[0].message, "lifecycle.transitions[0]: missing required field 'from'");
}

TEST(YamlSchema, ExactlyOneOfIsSaidOnce) {
  const auto neither = validate_json(door(R"([{"from": "closed"}])"), kLifecycleSchema);
  ASSERT_EQ(neither.size(), 1u);
  EXPECT_EQ(neither[0].message, "lifecycle.transitions[0]: needs one of 'on' or 'after'");

  const auto both =
      validate_json(door(R"([{"from": "closed", "on": "x", "after": "1s"}])"), kLifecycleSchema);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].message, "lifecycle.transitions[0]: give only one of 'on' or 'after'");
}

TEST(YamlSchema, RowThatIsNotAMappingIsOnlyATypeError) {
  const auto errors = validate_json(door("[7]"), kLifecycleSchema);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "lifecycle.transitions[0]: must be a mapping, not the number 7");
}

TEST(YamlSchema, BadNamesInEveryMapAreReported) {
  const auto errors =
      validate_json(boost::json::parse(R"({"lifecycle": {"name": "door", "version": 1,
          "states": {"Closed": null, "ok": null, "Open": {"final": 1}},
          "events": {"Knock": "x"}, "transitions": []}})"),
                    kLifecycleSchema);
  std::vector<std::string> paths;
  for (const auto& error : errors) paths.push_back(error.path);
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre(
                         "/lifecycle/states/Closed", "/lifecycle/states/Open",
                         "/lifecycle/states/Open/final", "/lifecycle/events/Knock"));
}

TEST(YamlSchema, ValidateYamlPlacesEachErrorAtItsNode) {
  const YAML::Node root = YAML::Load(
      "lifecycle:\n"
      "  name: door\n"
      "  version: 0\n"
      "  states:\n"
      "    closed:\n"
      "      colour: red\n"
      "  transitions:\n"
      "    - { on: knock, after: 5 }\n");
  const Diagnostics diagnostics = validate_yaml("d.yaml", root, kLifecycleSchema);
  ASSERT_EQ(diagnostics.size(), 5u) << listing(diagnostics);
  EXPECT_EQ(diagnostics[0].to_string(),
            "d.yaml:3:12: error: lifecycle.version: must be at least 1");
  EXPECT_EQ(diagnostics[1].to_string(),
            "d.yaml:6:7: error: unknown field 'colour' in lifecycle.states.closed (allowed: "
            "'means', 'card', 'entry', 'exit', 'final', 'description')");
  EXPECT_EQ(diagnostics[2].to_string(),
            "d.yaml:8:7: error: lifecycle.transitions[0]: give only one of 'on' or 'after'");
  EXPECT_EQ(diagnostics[3].to_string(),
            "d.yaml:8:7: error: lifecycle.transitions[0]: missing required field 'from'");
  EXPECT_EQ(diagnostics[4].to_string(),
            "d.yaml:8:27: error: lifecycle.transitions[0].after: must be a string, not the "
            "number 5");
}

TEST(YamlSchema, TopOfTheDocumentIsNamedPlainly) {
  const auto errors = validate_json(boost::json::parse(R"({"flow": {}})"), kLifecycleSchema);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "unknown field 'flow' (allowed: 'lifecycle')");
  EXPECT_EQ(errors[1].message, "missing required top-level field 'lifecycle'");
}

TEST(YamlSchema, UnknownSchemaIsAProgrammingError) {
  EXPECT_THROW(validate_json(boost::json::value(), "schemas/none.schema.json"), std::logic_error);
}

TEST(YamlSchema, CompiledSchemaIsSharedAcrossThreads) {
  const boost::json::value doc = door(R"([{"from": "closed", "on": "x", "to": 3}])");
  std::vector<std::thread> threads;
  std::vector<std::size_t> counts(4);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 20; ++n) counts[i] += validate_json(doc, kLifecycleSchema).size();
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t count : counts) EXPECT_EQ(count, 20u);
}

}  // namespace
}  // namespace sparks::yaml
