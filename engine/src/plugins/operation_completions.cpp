#include "plugins/operation_completions.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

namespace sparks::plugins::operation_completions {
namespace {

struct Pending {
  const void* owner;
  RawCompletion completion;
};

struct Table {
  std::mutex mutex;
  std::map<std::uintptr_t, Pending> pending;
  std::uintptr_t next_id = 1;
};

Table& table() {
  static Table instance;
  return instance;
}

}  // namespace

void* add(const void* owner, RawCompletion completion) {
  Table& t = table();
  std::lock_guard lock(t.mutex);
  std::uintptr_t id = t.next_id++;
  t.pending.emplace(id, Pending{owner, std::move(completion)});
  return reinterpret_cast<void*>(id);
}

void on_done(void* done_user, sparks_status_t status, sparks_str_t result) {
  RawCompletion completion;
  {
    Table& t = table();
    std::lock_guard lock(t.mutex);
    auto it = t.pending.find(reinterpret_cast<std::uintptr_t>(done_user));
    if (it == t.pending.end()) {
      spdlog::warn("plugin: ignored a completion that was already answered or never issued");
      return;
    }
    completion = std::move(it->second.completion);
    t.pending.erase(it);
  }
  completion(status, result);
}

std::vector<RawCompletion> take_all(const void* owner) {
  Table& t = table();
  std::lock_guard lock(t.mutex);
  std::vector<RawCompletion> taken;
  for (auto it = t.pending.begin(); it != t.pending.end();) {
    if (it->second.owner == owner) {
      taken.push_back(std::move(it->second.completion));
      it = t.pending.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

}  // namespace sparks::plugins::operation_completions
