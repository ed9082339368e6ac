#include "store/sqlite/prepared.hpp"

namespace sparks::store::sqlite {

namespace {
thread_local StatementCache* current_cache = nullptr;
}  // namespace

SQLite::Statement* StatementCache::take(std::string_view sql) {
  auto [it, fresh] = statements_.try_emplace(std::string(sql));
  Entry& entry = it->second;
  if (fresh) {
    entry.statement = std::make_unique<SQLite::Statement>(db_, it->first);
    by_statement_[entry.statement.get()] = &entry;
  }
  if (entry.in_use) return nullptr;
  entry.in_use = true;
  return entry.statement.get();
}

void StatementCache::give_back(SQLite::Statement* statement) {
  statement->tryReset();
  try {
    statement->clearBindings();
  } catch (...) {  // sqlite3_clear_bindings does not fail; nothing to undo if it did
  }
  by_statement_.at(statement)->in_use = false;
}

UseStatementCache::UseStatementCache(StatementCache& cache) : previous_(current_cache) {
  current_cache = &cache;
}

UseStatementCache::~UseStatementCache() {
  current_cache = previous_;
}

Prepared::Prepared(SQLite::Database& db, std::string_view sql) {
  if (current_cache != nullptr && &current_cache->db() == &db) {
    statement_ = current_cache->take(sql);
    if (statement_) cache_ = current_cache;
  }
  if (!statement_) {
    owned_ = std::make_unique<SQLite::Statement>(db, std::string(sql));
    statement_ = owned_.get();
  }
}

Prepared::~Prepared() {
  if (cache_) cache_->give_back(statement_);
}

}  // namespace sparks::store::sqlite
