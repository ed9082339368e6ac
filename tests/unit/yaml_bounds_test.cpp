// The limits checked before yaml-cpp builds a tree (yaml/bounds.hpp): a text too large or nested
// too deeply is refused at the position where the limit is crossed, through every loader, and a
// valid document within the limits — brackets in its strings, comments and block scalars
// included — is never refused.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "check/check.hpp"
#include "config/config.hpp"
#include "flows/capabilities.hpp"
#include "flows/flow_loader.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"
#include "util/read_file.hpp"
#include "yaml/bounds.hpp"
#include "yaml/parse.hpp"

namespace sparks::yaml {
namespace {

std::string refusal(std::string_view text, const Limits& limits = {}) {
  auto refused = check_bounds("f.yaml", text, limits);
  return refused ? refused->to_string() : std::string();
}

std::string repeat(std::string_view part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

// A block mapping nested `levels` deep: "k0:\n  k1:\n    k2: …".
std::string block_mappings(int levels) {
  std::string out;
  for (int i = 0; i < levels; ++i)
    out +=
        std::string(2 * i, ' ') + "k" + std::to_string(i) + ":" + (i + 1 < levels ? "\n" : " x\n");
  return out;
}

// The 900 KB of `[` that used to cost a hundred megabytes before being refused.
std::string hostile_flow() {
  return "flow:\n  id: deep\n  steps: " + repeat("[", 900 * 1024) + "\n";
}

TEST(YamlBounds, TooLargeIsRefusedWithItsSize) {
  EXPECT_EQ(refusal(std::string(2000, '#'), {.max_bytes = 1000}),
            "f.yaml: error: file is 2000 bytes; the limit is 1000");
  EXPECT_EQ(refusal(std::string(1000, '#'), {.max_bytes = 1000}), "");
  EXPECT_EQ(parse("big.yaml", "a: " + std::string(1024 * 1024, 'x')).diagnostics.at(0).to_string(),
            "big.yaml: error: file is 1048579 bytes; the limit is 1048576");
}

TEST(YamlBounds, FlowNestingIsRefusedWhereItCrossesTheLimit) {
  EXPECT_EQ(refusal(repeat("[", 64) + repeat("]", 64)), "");
  EXPECT_EQ(refusal(repeat("[", 65) + repeat("]", 65)),
            "f.yaml:1:65: error: nesting deeper than 64 levels");
  EXPECT_EQ(refusal("a:\n  b: " + repeat("{x: ", 70)),
            "f.yaml:2:254: error: nesting deeper than 64 levels")
      << "two block mappings, then the 63rd brace is the 65th level";
  EXPECT_EQ(refusal("a: [\n  [\n" + repeat("[", 80)),
            "f.yaml:3:62: error: nesting deeper than 64 levels");
}

TEST(YamlBounds, BlockNestingIsRefusedWhereItCrossesTheLimit) {
  EXPECT_EQ(refusal(block_mappings(64)), "");
  EXPECT_EQ(refusal(block_mappings(65)), "f.yaml:65:129: error: nesting deeper than 64 levels");
  EXPECT_EQ(refusal(repeat("- ", 64) + "x\n"), "");
  EXPECT_EQ(refusal(repeat("- ", 65) + "x\n"),
            "f.yaml:1:129: error: nesting deeper than 64 levels");
  // Sequences under keys at the key's own column alternate with mappings: each is a level.
  std::string alternating;
  for (int i = 0; i < 40; ++i)
    alternating += std::string(2 * i, ' ') + "- k" + std::to_string(i) + ":\n";
  EXPECT_EQ(refusal(alternating), "f.yaml:33:65: error: nesting deeper than 64 levels");
}

TEST(YamlBounds, WhatStringsCommentsAndBlockScalarsHoldDoesNotCount) {
  const std::string brackets = repeat("[{", 100);
  EXPECT_EQ(refusal("a: \"" + brackets + "\"\n"), "");
  EXPECT_EQ(refusal("a: '" + brackets + "'\n"), "");
  EXPECT_EQ(refusal("a: 'it''s " + brackets + "'\nb: \"say \\\"" + brackets + "\"\n"), "");
  EXPECT_EQ(refusal("a: \"first line\n  " + brackets + "\n  \"\n"), "") << "a multi-line string";
  EXPECT_EQ(refusal("# " + brackets + "\na: 1 # " + brackets + "\n"), "");
  EXPECT_EQ(refusal("a: [1, 2] # " + brackets + "\n"), "");
  EXPECT_EQ(refusal("a: |\n  " + brackets + "\n\n  " + brackets + "\nb: >-\n  " + brackets + "\n"),
            "");
  EXPECT_EQ(refusal("- |\n " + brackets + "\n- x\n"), "");
  EXPECT_EQ(refusal("a: plain " + brackets + "\n  continued " + brackets + "\n"), "")
      << "inside a plain scalar in block context a bracket is text";
  EXPECT_EQ(refusal("a: [\"" + brackets + "\", '" + brackets + "', don't]\n"), "");
  EXPECT_EQ(refusal("a: &anchor !!seq [1]\nb: *anchor\n"), "");
  EXPECT_EQ(refusal("--- " + repeat("- ", 60) + "x\n--- " + repeat("- ", 60) + "x\n"), "")
      << "each document starts afresh";
}

TEST(YamlBounds, TextThatIsNotUtf8IsRefusedAtItsFirstBadByte) {
  EXPECT_EQ(refusal("a: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x99\x82\n"), "") << "é € and an emoji";
  // A run of continuation bytes made the schema validator read past its table (found by the
  // config fuzz target: tests/fuzz/config/regressions/).
  EXPECT_EQ(refusal("a: 1\nb: key\x8F\x8F\x8F\x8F\x8F\x8F\x8F\n"),
            "f.yaml:2:7: error: the text is not UTF-8 (byte 0x8F)");
  EXPECT_EQ(refusal("a: \xC0\xAF\n"), "f.yaml:1:4: error: the text is not UTF-8 (byte 0xC0)")
      << "an overlong form";
  EXPECT_EQ(refusal("a: \xED\xA0\x80\n"), "f.yaml:1:4: error: the text is not UTF-8 (byte 0xED)")
      << "a surrogate";
  EXPECT_EQ(refusal("a: \xE2\x82"), "f.yaml:1:4: error: the text is not UTF-8 (byte 0xE2)")
      << "cut short";
}

TEST(YamlBounds, EveryShippedYamlFileIsWithinTheLimits) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(SPARKS_SOURCE_DIR)) {
    const std::string path = entry.path().string();
    // tests/fuzz/ holds hostile inputs on purpose (and copies of the shipped files as seeds).
    if (entry.path().extension() != ".yaml" || path.find("/build") != std::string::npos ||
        path.find("/tests/fuzz/") != std::string::npos)
      continue;
    const auto text = read_text_file(entry.path());
    ASSERT_TRUE(text) << path;
    EXPECT_EQ(refusal(*text), "") << path;
    ++files;
  }
  EXPECT_GT(files, 20);
}

// ---------------------------------------------------------------------------------------------
// Through the loaders: refused with the position, before a tree is built.

TEST(YamlBounds, HostileFlowIsRefusedByEveryLoader) {
  const std::string text = hostile_flow();
  const auto capabilities = flows::Capabilities::from_descriptors({});
  auto flow = flows::load_flow("deep.yaml", text, capabilities);
  ASSERT_EQ(flow.diagnostics.size(), 1u);
  // `flow:` and `steps:` are two levels; the brackets begin at column 10, the 63rd is the 65th.
  EXPECT_EQ(flow.diagnostics[0].to_string(),
            "deep.yaml:3:72: error: nesting deeper than 64 levels");
  auto checked = check::check_text("deep.yaml", text, capabilities);
  ASSERT_EQ(checked.diagnostics.size(), 1u);
  EXPECT_EQ(checked.diagnostics[0].to_string(), flow.diagnostics[0].to_string());
  auto lifecycle = lifecycle::load_lifecycle("deep.yaml", text, runtime::lifecycle_registry());
  ASSERT_EQ(lifecycle.diagnostics.size(), 1u);
  EXPECT_EQ(lifecycle.diagnostics[0].to_string(), flow.diagnostics[0].to_string());
  auto config = config::load_config("deep.yaml", text, ".");
  ASSERT_EQ(config.diagnostics.size(), 1u);
  EXPECT_EQ(config.diagnostics[0].to_string(), flow.diagnostics[0].to_string());
}

// The peak resident memory of loading `text` as a flow, measured in a child process so that what
// this process allocated before does not count.
long peak_kilobytes_of_loading(const std::string& text) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return -1;
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const auto capabilities = flows::Capabilities::from_descriptors({});
    auto loaded = flows::load_flow("deep.yaml", text, capabilities);
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    const long grown = loaded.diagnostics.empty() ? -2 : after.ru_maxrss - before.ru_maxrss;
    const ssize_t written = write(pipe_ends[1], &grown, sizeof grown);
    _exit(written == sizeof grown ? 0 : 1);
  }
  close(pipe_ends[1]);
  long grown = -1;
  if (read(pipe_ends[0], &grown, sizeof grown) != sizeof grown) grown = -1;
  close(pipe_ends[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return grown;
}

TEST(YamlBounds, HostileFlowCostsNoMoreMemoryThanItsText) {
  const long grown = peak_kilobytes_of_loading(hostile_flow());
  ASSERT_GE(grown, 0) << "the child did not report (or the flow was accepted)";
  EXPECT_LT(grown, 8 * 1024) << "kilobytes of peak memory beyond the text";
}

TEST(YamlBounds, YamlCppsOwnErrorsKeepTheirPosition) {
  auto flow = flows::load_flow("bad.yaml", "flow:\n  id: x\n  steps: [a, b\n",
                               flows::Capabilities::from_descriptors({}));
  ASSERT_EQ(flow.diagnostics.size(), 1u);
  EXPECT_EQ(flow.diagnostics[0].to_string(), "bad.yaml:4:1: error: end of sequence flow not found");
}

}  // namespace
}  // namespace sparks::yaml
