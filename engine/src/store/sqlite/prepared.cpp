#include "store/sqlite/prepared.hpp"


namespace sparks::store::sqlite {

namespace {
thread_local StatementCache* current_cache = nullptr;
}  // namespace

StatementCache::Entry* StatementCache::take(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string text(sql);
    auto statement = std::make_unique<SQLite::Statement>(db_, text);  // throws for bad SQL
    it = statements_.emplace(std::move(text), Entry{std::move(statement)}).first;
  }
  Entry& entry = it->second;
  if (entry.in_use) return nullptr;
  entry.in_use = true;
  return &entry;
}

void StatementCache::give_back(Entry& entry) {
  entry.statement->tryReset();
  try {
    entry.statement->clearBindings();
  } catch (...) {  // sqlite3_clear_bindings does not fail; nothing to undo if it did
  }
  entry.in_use = false;
}

UseStatementCache::UseStatementCache(StatementCache& cache) : previous_(current_cache) {
  current_cache = &cache;
}

UseStatementCache::~UseStatementCache() {
  current_cache = previous_;
}

Prepared::Prepared(SQLite::Database& db, std::string_view sql) {
  if (current_cache != nullptr && &current_cache->db() == &db) {
    cached_ = current_cache->take(sql);
    if (cached_) statement_ = cached_->statement.get();
  }
  if (cached_) {
    texts_ = &cached_->texts;
  } else {
    owned_ = std::make_unique<SQLite::Statement>(db, std::string(sql));
    statement_ = owned_.get();
  }
}

void Prepared::bind_value(int index, std::string_view text) {
  auto& texts = *texts_;
  // Sized once, for every parameter: growing the vector later would move the short strings bound
  // already, whose characters live inside them.
  if (texts.empty()) texts.resize(static_cast<std::size_t>(statement_->getBindParameterCount()));
  auto& slot = texts.at(static_cast<std::size_t>(index - 1));
  slot.assign(text);
  // Bound without a copy (SQLITE_STATIC): the buffer outlives the binding. It is only rewritten by
  // the next bind of this parameter, and the statement is reset (give_back) before its entry is
  // used again.
  statement_->bindNoCopy(index, slot);
}

void Prepared::bind_value(int index, const std::optional<std::string>& text) {
  if (text) return bind_value(index, std::string_view(*text));
  statement_->bind(index);  // NULL
}

Prepared::~Prepared() {
  if (cached_) StatementCache::give_back(*cached_);
}

}  // namespace sparks::store::sqlite
