#include "plugins/pending_callbacks.hpp"

namespace sparks::plugins {

std::uint64_t PendingCallbacks::add(Entry entry) {
  std::lock_guard lock(mutex_);
  if (closed_) return 0;
  std::uint64_t id = next_id_++;
  entries_.emplace(id, std::move(entry));
  return id;
}

bool PendingCallbacks::claim(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  return entries_.erase(id) == 1;
}

void PendingCallbacks::cancel(std::uint64_t id) {
  std::function<void()> cancel;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    cancel = it->second.cancel;
  }
  if (cancel) cancel();  // outside the lock: it may post work or complete at once
}

std::vector<PendingCallbacks::Entry> PendingCallbacks::claim_all() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  std::vector<Entry> taken;
  for (auto& [id, entry] : entries_) taken.push_back(std::move(entry));
  entries_.clear();
  return taken;
}

}  // namespace sparks::plugins
