#pragma once
// The config a command runs with: the file given with --config, or the embedded default.
#include <iostream>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace sparks::cli {

// Prints each problem as FILE:LINE:COL: error: … on stderr and returns nullopt when the file does
// not load.
inline std::optional<config::Config> config_or_default(const std::string& config_file) {
  if (config_file.empty()) return config::Config::embedded_default();
  auto loaded = config::load_config_file(config_file);
  if (!loaded.config)
    for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
  return std::move(loaded.config);
}

}  // namespace sparks::cli
