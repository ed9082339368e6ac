// A minimal host program for the restart test: embeds sparks::Engine on its own io_context,
// optionally fires one event, prints what happened on stdout and runs until SIGTERM/SIGINT.
//   lifecycle_host --db FILE --lifecycle FILE [--fire EVENT]
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <string>

#include "sparks/engine.hpp"

int main(int argc, char** argv) {
  sparks::EngineOptions options;
  std::string fire;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--db") {
      options.database = argv[i + 1];
      options.key_file = options.database.parent_path() / "secret.key";
    }
    if (flag == "--lifecycle") options.lifecycle = argv[i + 1];
    if (flag == "--fire") fire = argv[i + 1];
  }

  boost::asio::io_context io;
  sparks::Engine engine(io.get_executor(), options);
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](auto, int) {
    engine.stop();
    io.stop();
  });
  std::cout << "ready" << std::endl;

  if (!fire.empty()) {
    engine.fire({"w1", "tiktok"}, fire, sparks::Actor::member("ana", sparks::Role::owner), {},
                [](sparks::FireOutcome outcome) {
                  std::cout << "fired " << outcome.from << " " << outcome.to << " " << outcome.error
                            << std::endl;
                });
  }
  io.run();
}
