#include "execution/operator/union_operator.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

/// A child's column as the union's column type (converting when the physical types differ).
ColumnVector AlignColumn(const ColumnVector& source, KqlType type) {
  if (source.type() == type) return source;
  ColumnVector converted(type);
  if (PhysicalTypeOf(source.type()) == PhysicalTypeOf(type)) {
    converted.Reserve(source.size());
    for (size_t row = 0; row < source.size(); ++row) converted.AppendFrom(source, row);
    return converted;
  }
  converted.Resize(source.size());
  for (size_t row = 0; row < source.size(); ++row) {
    Value value = source.GetValue(row);
    if (!value.is_null) converted.SetValue(row, value);
  }
  return converted;
}

}  // namespace

Table UnionTables(const LogicalUnion& union_op, const std::vector<Table>& children) {
  Table result;
  result.schema = union_op.schema;
  bool with_source = !union_op.source_column.empty();
  for (size_t c = 0; c < children.size(); ++c) {
    const auto& map = union_op.child_maps[c];
    for (const DataChunk& input : children[c].chunks) {
      DataChunk dense = input.Compact();
      DataChunk chunk;
      chunk.size = dense.size;
      for (size_t i = 0; i < map.size(); ++i) {
        KqlType type = union_op.schema[i].type;
        if (map[i] < 0) {
          ColumnVector nulls(type);
          nulls.Resize(chunk.size);
          chunk.columns.push_back(std::move(nulls));
        } else {
          chunk.columns.push_back(AlignColumn(dense.columns[static_cast<size_t>(map[i])], type));
        }
      }
      if (with_source && chunk.columns.size() < union_op.schema.size()) {
        ColumnVector source(union_op.schema.back().type);
        const std::string& name = c < union_op.source_names.size() ? union_op.source_names[c] : std::string();
        std::string_view stored = source.heap().Add(name);
        for (size_t row = 0; row < chunk.size; ++row) source.AppendStringView(stored);
        chunk.columns.push_back(std::move(source));
      }
      if (chunk.size > 0) result.chunks.push_back(std::move(chunk));
    }
  }
  return result;
}

}  // namespace kql::exec
