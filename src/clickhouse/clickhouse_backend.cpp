// ClickHouseBackend: table discovery and the plan pushdown. A pushed subtree is built as one SELECT "level"
// (FROM, WHERE, GROUP BY, ORDER BY, LIMIT) while operators fit SQL's clause order, and wrapped in a subquery when
// they do not (a filter after a summarize, a project after a sort). Output columns are aliased _kq<depth>_<i>
// so ClickHouse's query-global aliases never shadow a table column.
#include "clickhouse/clickhouse_backend.h"

#include <algorithm>
#include <optional>
#include <set>

#include "clickhouse/sql_expression.h"
#include "plan/logical_operator.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

std::vector<std::vector<std::string>> Rows(const std::string& body) {
  std::vector<std::vector<std::string>> rows;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::vector<std::string> cells;
    size_t cell_start = start;
    while (true) {
      size_t tab = body.find('\t', cell_start);
      if (tab == std::string::npos || tab > end) {
        cells.push_back(body.substr(cell_start, end - cell_start));
        break;
      }
      cells.push_back(body.substr(cell_start, tab - cell_start));
      cell_start = tab + 1;
    }
    rows.push_back(std::move(cells));
    start = end + 1;
  }
  return rows;
}

// Each nesting level has its own alias names: ClickHouse resolves an alias anywhere in its SELECT, so
// `SELECT _kq3 AS _kq1, _kq1 AS _kq2` would read the new _kq1, not the subquery's column.
std::string Alias(int depth, size_t index) { return "_kq" + std::to_string(depth) + "_" + std::to_string(index); }

// One SELECT under construction. `columns[i]` is the SQL of the current output column i over `from`.
struct Level {
  std::shared_ptr<const HttpConnection> connection;
  std::string from;
  std::vector<std::string> columns;
  std::vector<std::string> where;
  std::vector<std::string> group_by;
  bool aggregated = false;
  std::vector<std::string> order_by;
  std::optional<int64_t> limit;
  int depth = 0;

  std::vector<std::string> Aliases() const {
    std::vector<std::string> aliases;
    for (size_t i = 0; i < columns.size(); ++i) aliases.push_back(Alias(depth, i));
    return aliases;
  }

  std::string Sql() const {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i] + " AS " + Alias(depth, i);
    if (columns.empty()) sql += "1 AS _kq";
    sql += "\nFROM " + from;
    for (size_t i = 0; i < where.size(); ++i) sql += (i ? "\n  AND " : "\nWHERE ") + where[i];
    for (size_t i = 0; i < group_by.size(); ++i) sql += (i ? ", " : "\nGROUP BY ") + group_by[i];
    for (size_t i = 0; i < order_by.size(); ++i) sql += (i ? ", " : "\nORDER BY ") + order_by[i];
    if (limit) sql += "\nLIMIT " + std::to_string(*limit);
    return sql;
  }

  // Makes this level a subquery of a new, empty one.
  void Wrap() {
    std::string inner = Sql();
    from = "(\n" + inner + "\n)";
    columns = Aliases();
    ++depth;
    where.clear();
    group_by.clear();
    aggregated = false;
    order_by.clear();
    limit.reset();
  }

  bool Plain() const { return !aggregated && order_by.empty() && !limit; }
};

std::optional<std::vector<std::string>> SortKeys(const std::vector<SortKey>& keys, const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const SortKey& key : keys) {
    // Reals (NaN) and strings (collation) are ordered locally; integers, ticks and bools are exact.
    KqlType type = key.expr->type;
    if (!(type == KqlType::kInt || type == KqlType::kLong || type == KqlType::kDateTime ||
          type == KqlType::kTimeSpan || type == KqlType::kBool)) {
      return std::nullopt;
    }
    auto sql = TranslateExpression(*key.expr, inputs);
    if (!sql) return std::nullopt;
    out.push_back(*sql + (key.ascending ? " ASC" : " DESC") + (key.nulls_first ? " NULLS FIRST" : " NULLS LAST"));
  }
  return out;
}

// Applies one operator on top of `level`; false when it cannot be pushed exactly.
bool Apply(const LogicalOperator& op, Level& level) {
  switch (op.kind) {
    case LogicalKind::kFilter: {
      if (level.aggregated || level.limit) level.Wrap();
      auto sql = TranslateExpression(*op.As<LogicalFilter>().predicate, level.columns);
      if (!sql) return false;
      level.where.push_back(*sql);
      return true;
    }
    case LogicalKind::kProject: {
      if (!level.Plain()) level.Wrap();
      std::vector<std::string> columns;
      for (const auto& expr : op.As<LogicalProject>().exprs) {
        auto sql = TranslateExpression(*expr, level.columns);
        if (!sql) return false;
        columns.push_back(*sql);
      }
      level.columns = std::move(columns);
      return true;
    }
    case LogicalKind::kAggregate: {
      if (!level.Plain()) level.Wrap();
      const auto& aggregate = op.As<LogicalAggregate>();
      std::vector<std::string> columns, keys;
      for (const auto& key : aggregate.keys) {
        auto sql = TranslateExpression(*key, level.columns);
        if (!sql) return false;
        keys.push_back(*sql);
        columns.push_back(*sql);
      }
      for (const auto& function : aggregate.aggregates) {
        auto sql = TranslateAggregate(function, level.columns);
        if (!sql) return false;
        columns.push_back(*sql);
      }
      level.group_by = std::move(keys);
      level.columns = std::move(columns);
      level.aggregated = true;
      return true;
    }
    case LogicalKind::kSort:
    case LogicalKind::kTop: {
      if (level.limit) level.Wrap();
      bool top = op.kind == LogicalKind::kTop;
      auto keys = SortKeys(top ? op.As<LogicalTop>().keys : op.As<LogicalSort>().keys, level.Aliases());
      if (!keys) return false;
      // A later sort is stable over the earlier order: the earlier keys break its ties.
      keys->insert(keys->end(), level.order_by.begin(), level.order_by.end());
      level.order_by = std::move(*keys);
      if (top) level.limit = op.As<LogicalTop>().limit;
      return true;
    }
    case LogicalKind::kLimit: {
      int64_t limit = op.As<LogicalLimit>().limit;
      level.limit = level.limit ? std::min(*level.limit, limit) : limit;
      return true;
    }
    default: return false;
  }
}

bool Absorb(const LogicalOperator& op, const std::map<std::string, std::shared_ptr<const TableSource>>& sources,
            Level& level);

bool IsTicksType(KqlType type) {
  return type == KqlType::kInt || type == KqlType::kLong || type == KqlType::kDateTime || type == KqlType::kTimeSpan;
}

// The SQL key columns of one side of a join, compared as the local hash join compares keys: strings byte for
// byte (a null reads as "", as KQL strings are never null), integers and ticks by value with null equal to null
// (a key is the pair isNull(x), ifNull(x, 0)). Other key types (reals, bools, guids, dynamic) stay local.
std::optional<std::vector<std::string>> JoinKeys(const LogicalJoin& join, const Schema& left, const Schema& right,
                                                 bool left_side, const std::vector<std::string>& columns) {
  std::vector<std::string> keys;
  for (size_t k = 0; k < join.left_keys.size(); ++k) {
    KqlType left_type = left[join.left_keys[k]].type;
    KqlType right_type = right[join.right_keys[k]].type;
    const std::string& column = columns[left_side ? join.left_keys[k] : join.right_keys[k]];
    if (left_type == KqlType::kString && right_type == KqlType::kString) {
      keys.push_back("CAST(ifNull(" + column + ", '') AS String)");
    } else if (IsTicksType(left_type) && IsTicksType(right_type)) {
      keys.push_back("isNull(" + column + ")");
      keys.push_back("CAST(ifNull(" + column + ", toInt64(0)) AS Int64)");
    } else {
      return std::nullopt;
    }
  }
  return keys;
}

// True when the rows of `op` are unique on the columns `keys` (so innerunique, which keeps one left row per key,
// is the plain inner join): a summarize whose group keys are all among `keys`, under operators that only drop or
// reorder rows.
bool UniqueOn(const LogicalOperator& op, const std::vector<size_t>& keys) {
  const LogicalOperator* node = &op;
  while ((node->kind == LogicalKind::kFilter || node->kind == LogicalKind::kSort || node->kind == LogicalKind::kTop ||
          node->kind == LogicalKind::kLimit) &&
         node->children.size() == 1) {
    node = node->children[0].get();
  }
  if (node->kind != LogicalKind::kAggregate) return false;
  size_t group_keys = node->As<LogicalAggregate>().keys.size();
  for (size_t i = 0; i < group_keys; ++i) {
    if (std::find(keys.begin(), keys.end(), i) == keys.end()) return false;
  }
  return true;
}

// `SELECT <columns[i]> AS <prefix>i..., <keys[j]> AS _kqk_j FROM <level>` for one side of a join.
std::string JoinSide(Level& level, const std::string& prefix, const std::vector<std::string>& keys, bool marker) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < level.columns.size(); ++i) {
    sql += level.columns[i] + " AS " + prefix + std::to_string(i) + ", ";
  }
  for (size_t j = 0; j < keys.size(); ++j) sql += (j ? ", " : "") + keys[j] + " AS _kqk_" + std::to_string(j);
  if (marker) sql += ", toUInt8(1) AS _kqm";
  return sql + "\nFROM " + level.from;
}

// A join of two pushed subtrees on the same server: inner, leftouter (and innerunique over a left side unique on
// its keys) as `GLOBAL ALL INNER|LEFT JOIN ... USING`, semi and anti joins as `GLOBAL IN` / `NOT ... GLOBAL IN`.
// GLOBAL ships the right side's rows to every shard once when the left reads a Distributed table. Other kinds
// (rightouter, fullouter, innerunique over a left side with repeated keys: which row it keeps is the local
// engine's choice) stay local.
bool AbsorbJoin(const LogicalJoin& join, const std::map<std::string, std::shared_ptr<const TableSource>>& sources,
                Level& level) {
  if (join.children.size() != 2 || join.left_keys.empty() || join.left_keys.size() != join.right_keys.size()) {
    return false;
  }
  Level left, right;
  if (!Absorb(*join.children[0], sources, left) || !Absorb(*join.children[1], sources, right)) return false;
  if (left.connection->url().endpoint != right.connection->url().endpoint ||
      left.connection->url().database != right.connection->url().database) {
    return false;
  }
  const Schema& left_schema = join.children[0]->schema;
  const Schema& right_schema = join.children[1]->schema;
  JoinKind kind = join.join_kind;
  if (kind == JoinKind::kInnerUnique && UniqueOn(*join.children[0], join.left_keys)) kind = JoinKind::kInner;
  if (kind == JoinKind::kLeftSemi || kind == JoinKind::kLeftAnti || kind == JoinKind::kRightSemi ||
      kind == JoinKind::kRightAnti) {
    bool keep_left = kind == JoinKind::kLeftSemi || kind == JoinKind::kLeftAnti;
    Level& kept = keep_left ? left : right;
    Level& other = keep_left ? right : left;
    for (size_t i = 0; i < join.output_map.size(); ++i) {
      if (join.output_map[i] != std::make_pair(keep_left ? 0 : 1, i)) return false;
    }
    if (join.output_map.size() != kept.columns.size()) return false;
    if (kept.aggregated || kept.limit) kept.Wrap();
    other.Wrap();
    auto kept_keys = JoinKeys(join, left_schema, right_schema, keep_left, kept.columns);
    auto other_keys = JoinKeys(join, left_schema, right_schema, !keep_left, other.columns);
    if (!kept_keys || !other_keys) return false;
    std::string probe, list;
    for (size_t j = 0; j < kept_keys->size(); ++j) {
      probe += (j ? ", " : "") + (*kept_keys)[j];
      list += (j ? ", " : "") + (*other_keys)[j];
    }
    std::string in = "(" + probe + ") GLOBAL IN (SELECT " + list + " FROM " + other.from + ")";
    bool anti = kind == JoinKind::kLeftAnti || kind == JoinKind::kRightAnti;
    kept.where.push_back(anti ? "(NOT " + in + ")" : "(" + in + ")");
    level = std::move(kept);
    return true;
  }
  if (kind != JoinKind::kInner && kind != JoinKind::kLeftOuter) return false;
  bool outer = kind == JoinKind::kLeftOuter;
  // An unmatched row's right columns are null: `if(_kqm = 1, x, NULL)`, which ClickHouse cannot build for arrays.
  if (outer) {
    for (const ColumnDef& column : right_schema) {
      if (column.type == KqlType::kDynamic) return false;
    }
  }
  left.Wrap();
  right.Wrap();
  auto left_keys = JoinKeys(join, left_schema, right_schema, true, left.columns);
  auto right_keys = JoinKeys(join, left_schema, right_schema, false, right.columns);
  if (!left_keys || !right_keys) return false;
  std::string using_list;
  for (size_t j = 0; j < left_keys->size(); ++j) {
    using_list += (j ? ", " : "") + std::string("_kqk_") + std::to_string(j);
  }
  Level joined;
  joined.connection = left.connection;
  joined.depth = std::max(left.depth, right.depth) + 1;
  // Current versions require an alias on each joined subquery (joined_subquery_requires_alias).
  joined.from = "(\n" + JoinSide(left, "_kql_", *left_keys, false) + "\n) AS _kqjl GLOBAL ALL " +
                (outer ? "LEFT" : "INNER") + " JOIN (\n" + JoinSide(right, "_kqr_", *right_keys, outer) +
                "\n) AS _kqjr USING (" + using_list + ")";
  for (const auto& [side, index] : join.output_map) {
    std::string name = (side == 0 ? "_kql_" : "_kqr_") + std::to_string(index);
    joined.columns.push_back(side == 1 && outer ? "if(_kqm = 1, " + name + ", NULL)" : name);
  }
  level = std::move(joined);
  return true;
}

// The SQL of `columns` as a scan of `remote` reads them; nullopt when one is missing or has another type.
std::optional<std::vector<std::string>> ScanColumnSql(const RemoteSource& remote, const Schema& columns) {
  std::vector<std::string> sql;
  for (const ColumnDef& column : columns) {
    auto index = FindColumn(remote.schema(), column.name);
    if (!index || remote.schema()[*index].type != column.type) return std::nullopt;
    sql.push_back(remote.column_sql()[*index]);
  }
  return sql;
}

// Builds the level for the subtree at `op`; false when some operator in it stays local.
bool Absorb(const LogicalOperator& op, const std::map<std::string, std::shared_ptr<const TableSource>>& sources,
            Level& level) {
  if (op.kind == LogicalKind::kJoin) return AbsorbJoin(op.As<LogicalJoin>(), sources, level);
  if (op.kind == LogicalKind::kScan) {
    const auto& scan = op.As<LogicalScan>();
    auto found = sources.find(scan.table_name);
    if (found == sources.end()) return false;
    auto remote = std::dynamic_pointer_cast<const RemoteSource>(found->second);
    if (!remote || remote->from_sql().empty() || remote->from_sql()[0] == '(') return false;
    auto columns = ScanColumnSql(*remote, scan.schema);
    if (!columns) return false;
    level.connection = remote->connection();
    level.from = remote->from_sql();
    for (std::string& column : *columns) level.columns.push_back(std::move(column));
    return true;
  }
  if (op.children.size() != 1) return false;
  if (!Absorb(*op.children[0], sources, level)) return false;
  return Apply(op, level);
}

struct Offloader {
  std::map<std::string, std::shared_ptr<const TableSource>>& sources;
  std::string* explain;
  int count = 0;

  // Registers `level` as a source and returns the scan that reads it.
  LogicalOperatorPtr Scan(const Level& level, const Schema& schema) {
    std::string name = "__clickhouse_" + std::to_string(count++);
    std::string from = "(\n" + level.Sql() + "\n)";
    auto source = std::make_shared<RemoteSource>(level.connection, name, schema, level.Aliases(), from);
    if (explain) {
      *explain += "\nClickHouse SQL for " + name + " (" + level.connection->url().display + "):\n" +
                  source->Sql(schema) + "\n";
    }
    sources[name] = source;
    auto scan = std::make_unique<LogicalScan>();
    scan->table_name = name;
    scan->schema = schema;
    scan->table_schema = schema;
    return scan;
  }

  static void Flatten(BoundExprPtr expr, std::vector<BoundExprPtr>& out) {
    if (expr->kind == BoundExprKind::kCall && expr->function == "and") {
      for (auto& arg : expr->args) Flatten(std::move(arg), out);
    } else {
      out.push_back(std::move(expr));
    }
  }

  // A filter whose predicate is only partly translatable: the translatable conjuncts go to the server, the
  // rest is a local filter over the streamed rows (same columns, so the same column indices).
  LogicalOperatorPtr SplitFilter(LogicalOperatorPtr& op) {
    if (op->kind != LogicalKind::kFilter || op->children.size() != 1) return nullptr;
    auto& filter = op->As<LogicalFilter>();
    if (filter.predicate->kind != BoundExprKind::kCall || filter.predicate->function != "and") return nullptr;
    Level level;
    if (!Absorb(*op->children[0], sources, level)) return nullptr;
    if (level.aggregated || level.limit) level.Wrap();
    std::vector<BoundExprPtr> conjuncts, local;
    Flatten(std::move(filter.predicate), conjuncts);
    for (auto& conjunct : conjuncts) {
      if (auto sql = TranslateExpression(*conjunct, level.columns)) {
        level.where.push_back(*sql);
      } else {
        local.push_back(std::move(conjunct));
      }
    }
    if (local.empty()) return Scan(level, op->schema);
    auto rest = std::make_unique<LogicalFilter>();
    rest->schema = op->schema;
    if (local.size() == 1) {
      rest->predicate = std::move(local[0]);
    } else {
      rest->predicate = BoundExpr::MakeCall("and", KqlType::kBool, std::move(local));
    }
    rest->children.push_back(Scan(level, op->children[0]->schema));
    return rest;
  }

  LogicalOperatorPtr Rewrite(LogicalOperatorPtr op) {
    Level level;
    // A bare scan stays a scan of the table's own source.
    if (op->kind != LogicalKind::kScan && Absorb(*op, sources, level)) return Scan(level, op->schema);
    if (auto split = SplitFilter(op)) return split;
    if (op->kind == LogicalKind::kScan && explain) {
      auto found = sources.find(op->As<LogicalScan>().table_name);
      if (found != sources.end()) {
        if (auto remote = std::dynamic_pointer_cast<const RemoteSource>(found->second)) {
          *explain += "\nClickHouse SQL for " + remote->name() + " (" + remote->connection()->url().display + "):\n" +
                      remote->Sql(op->schema) + "\n";
        }
      }
    }
    for (auto& child : op->children) child = Rewrite(std::move(child));
    return op;
  }
};

}  // namespace

std::vector<RemoteTable> ListTables(const HttpConnection& connection, std::vector<std::string>& notices) {
  std::string database = QuoteString(connection.url().database);
  auto exists = Rows(connection.Execute("SELECT count() FROM system.databases WHERE name = " + database, "", false));
  if (exists.empty() || exists[0][0] != "1") {
    throw ClickHouseError("clickhouse: " + connection.url().display + " has no database " + connection.url().database +
                          " (kqlite load creates it)");
  }
  auto table_rows = Rows(connection.Execute(
      "SELECT name, engine FROM system.tables WHERE database = " + database + " FORMAT TabSeparated", "", false));
  std::set<std::string> distributed;
  for (const auto& row : table_rows) {
    if (row.size() == 2 && row[1] == "Distributed") distributed.insert(row[0]);
  }
  // kqlite's own record of the KQL types (a datetime stored as Int64 ticks is not a long).
  std::map<std::string, std::map<std::string, KqlType>> recorded;
  bool has_record = false;
  for (const auto& row : table_rows) has_record = has_record || row[0] == kColumnsTable;
  if (has_record) {
    for (const auto& row : Rows(connection.Execute("SELECT table, name, kql_type FROM " +
                                                   QuoteIdentifier(kColumnsTable) + " FINAL FORMAT TabSeparated"))) {
      if (row.size() != 3) continue;
      if (auto type = ParseTypeName(row[2])) recorded[row[0]][row[1]] = *type;
    }
  }
  auto column_rows = Rows(connection.Execute(
      "SELECT table, name, type FROM system.columns WHERE database = " + database + " FORMAT TabSeparated", "",
      false));
  bool datetime64 = connection.MajorVersion() >= 20;
  std::vector<RemoteTable> tables;
  for (const auto& row : table_rows) {
    const std::string& name = row[0];
    if (name == kColumnsTable) continue;
    if (name.size() > 6 && name.substr(name.size() - 6) == "_local" &&
        distributed.contains(name.substr(0, name.size() - 6))) {
      continue;
    }
    RemoteTable table;
    table.name = name;
    auto record = recorded.find(name);
    for (const auto& column_row : column_rows) {
      if (column_row.size() != 3 || column_row[0] != name) continue;
      RemoteColumn column;
      bool known = false;
      if (record != recorded.end()) {
        if (auto type = record->second.find(column_row[1]); type != record->second.end()) {
          column = CreatedColumn(column_row[1], type->second, datetime64 && column_row[2].find("DateTime64") !=
                                                                               std::string::npos);
          known = true;
        }
      }
      if (!known && !ColumnFromServerType(column_row[1], column_row[2], column)) {
        notices.push_back("clickhouse: " + name + "." + column_row[1] + ": type " + column_row[2] +
                          " is not readable by kqlite; column skipped");
        continue;
      }
      table.columns.push_back(column);
    }
    if (!table.columns.empty()) tables.push_back(std::move(table));
  }
  return tables;
}

ClickHouseBackend::ClickHouseBackend(std::shared_ptr<const HttpConnection> connection)
    : connection_(std::move(connection)) {
  for (const RemoteTable& table : ListTables(*connection_, notices_)) {
    std::vector<std::string> column_sql;
    for (const RemoteColumn& column : table.columns) column_sql.push_back(WireExpression(column));
    sources_.push_back(std::make_shared<RemoteSource>(connection_, table.name, table.schema(), std::move(column_sql),
                                                      QuoteIdentifier(table.name)));
  }
}

LogicalOperatorPtr ClickHouseBackend::Offload(LogicalOperatorPtr plan,
                                              std::map<std::string, std::shared_ptr<const TableSource>>& sources,
                                              std::string* explain) const {
  Offloader offloader{sources, explain};
  return offloader.Rewrite(std::move(plan));
}

bool ClickHouseBackend::TranslatesFilter(const std::string& table, const BoundExpr& predicate,
                                         const Schema& input) const {
  for (const auto& source : sources_) {
    if (source->name() != table) continue;
    auto columns = ScanColumnSql(*source, input);  // As a pushed scan reads them (see Absorb).
    return columns && TranslateExpression(predicate, *columns).has_value();
  }
  return false;
}

}  // namespace kql::clickhouse
