// XML functions: parse_xml, on pugixml. Semantics (KQL docs, "parse_xml()"):
//   - the result is a bag named after the root element; only elements, attributes and text are translated (the
//     declaration, comments and processing instructions are skipped; CDATA counts as text).
//   - <e/> is null; <e>text</e> is "text"; an attribute is "@name"; text next to attributes or child elements is
//     "#text"; child elements of the same name become an array in document order.
//   - every value is a string ("118.0" stays text); whitespace-only text between elements is dropped.
//   - input that is not well-formed XML, is empty, or is longer than 1 MB (1,048,576 bytes) gives null.
#include <pugixml.hpp>

#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr size_t kMaxXmlBytes = 1048576;

bool IsWhitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Dynamic ElementValue(const pugi::xml_node& element, int depth);

// Adds a member, turning a repeated name into an array (the first occurrence keeps its position).
void AddMember(std::vector<DynamicValue::Member>& members, std::vector<std::vector<Dynamic>>& repeats,
               std::string name, Dynamic value) {
  for (size_t index = 0; index < members.size(); ++index) {
    if (members[index].first == name) {
      repeats[index].push_back(std::move(value));
      return;
    }
  }
  members.emplace_back(std::move(name), nullptr);
  repeats.push_back({std::move(value)});
}

Dynamic ElementValue(const pugi::xml_node& element, int depth) {
  if (depth > 256) return DynamicValue::MakeNull();  // Deeper than any real document; keeps the stack bounded.
  std::vector<DynamicValue::Member> members;
  std::vector<std::vector<Dynamic>> repeats;
  for (const pugi::xml_attribute& attribute : element.attributes()) {
    AddMember(members, repeats, std::string("@") + attribute.name(), DynamicValue::MakeString(attribute.value()));
  }
  bool has_children = false;
  bool has_text = false;
  for (const pugi::xml_node& child : element.children()) {
    if (child.type() == pugi::node_element) {
      has_children = true;
      AddMember(members, repeats, child.name(), ElementValue(child, depth + 1));
    } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      if (child.type() == pugi::node_pcdata && IsWhitespace(child.value())) continue;
      has_text = true;
      AddMember(members, repeats, "#text", DynamicValue::MakeString(child.value()));
    }
  }
  if (members.empty()) {
    // <e/> and <e></e> carry nothing.
    return DynamicValue::MakeNull();
  }
  if (!has_children && members.size() == 1 && has_text && repeats[0].size() == 1) return repeats[0][0];
  for (size_t index = 0; index < members.size(); ++index) {
    members[index].second =
        repeats[index].size() == 1 ? repeats[index][0] : DynamicValue::MakeArray(std::move(repeats[index]));
  }
  return DynamicValue::MakeObject(std::move(members));
}

Value ParseXml(std::span<const Value> args, KqlType) {
  const std::string text = ValueText(args[0]);
  if (text.empty() || text.size() > kMaxXmlBytes) return Value::Null(KqlType::kDynamic);
  pugi::xml_document document;
  if (!document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8)) {
    return Value::Null(KqlType::kDynamic);
  }
  const pugi::xml_node root = document.document_element();
  if (!root) return Value::Null(KqlType::kDynamic);
  for (pugi::xml_node sibling = root.next_sibling(); sibling; sibling = sibling.next_sibling()) {
    if (sibling.type() == pugi::node_element) return Value::Null(KqlType::kDynamic);  // Two roots: not XML.
  }
  std::vector<DynamicValue::Member> members;
  members.emplace_back(root.name(), ElementValue(root, 0));
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

constexpr ValueFunctionEntry kXmlFunctions[] = {
    {"parse_xml", ParseXml},
};

}  // namespace

void XmlFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  RunValueFunction(kXmlFunctions, call, args, rows, out);
}

}  // namespace kql::exec
