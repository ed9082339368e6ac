#pragma once
#include "command.hpp"

namespace sparks::cli {

// Installs the process-wide spdlog logger on stderr: a readable line, or with --log-json one JSON
// object per line (message escaped, so a log shipper can parse every line).
void configure_logging(const GlobalOptions& options);

}  // namespace sparks::cli
