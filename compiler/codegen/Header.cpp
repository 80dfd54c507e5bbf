//===- Header.cpp - The C header of a compiled model ----------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Header.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::kiln;

FailureOr<ModelSignature> kiln::getModelSignature(ModuleOp module) {
  auto entries = llvm::to_vector(module.getOps<kiln_rt::EntryPointOp>());
  if (entries.size() != 1)
    return module.emitError("expected exactly one kiln_rt.entry_point, found ")
           << entries.size();
  kiln_rt::EntryPointOp entry = entries.front();
  auto func = module.lookupSymbol<func::FuncOp>(entry.getFunction());
  size_t numInputs = entry.getInputNames().size();
  size_t numOutputs = entry.getOutputNames().size();
  if (!func || func.getNumArguments() < numInputs + numOutputs ||
      func.getNumResults() != 0)
    return entry.emitError("the model function is not bufferized yet");
  ModelSignature signature;
  signature.name = entry.getSymName().str();
  signature.workspaceSize = entry.getWorkspaceSizeAttr().getInt();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    if (i >= numInputs + numOutputs)
      break;
    auto memref = cast<MemRefType>(type);
    bool isInput = i < numInputs;
    ArrayAttr names = isInput ? entry.getInputNames() : entry.getOutputNames();
    ModelSignature::Tensor tensor;
    tensor.name = cast<StringAttr>(names[isInput ? i : i - numInputs]).str();
    tensor.elementType = memref.getElementType();
    // Signedness is kept on the entry point (lowering drops it).
    if (auto types = entry->getAttrOfType<ArrayAttr>("kiln_rt.element_types"))
      if (i < types.size())
        tensor.elementType = cast<TypeAttr>(types[i]).getValue();
    tensor.shape.assign(memref.getShape().begin(), memref.getShape().end());
    (isInput ? signature.inputs : signature.outputs).push_back(tensor);
  }
  return signature;
}

/// The C type of one element (16- and 8-bit floats travel as their bit
/// patterns; 4-bit types take one byte each, the value in the low nibble).
static StringRef cType(Type type) {
  if (getLowPrecisionOnnxCode(type))
    return "uint8_t";
  if (type.isF32())
    return "float";
  if (type.isF64())
    return "double";
  if (type.isF16() || type.isBF16())
    return "uint16_t";
  if (type.isInteger(1))
    return "bool";
  auto intType = cast<IntegerType>(type);
  bool isUnsigned = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 8:
    return isUnsigned ? "uint8_t" : "int8_t";
  case 16:
    return isUnsigned ? "uint16_t" : "int16_t";
  case 32:
    return isUnsigned ? "uint32_t" : "int32_t";
  default:
    return isUnsigned ? "uint64_t" : "int64_t";
  }
}

/// Names a parameter may not take: C and C++ keywords, the names the
/// header's own includes define (stdbool.h's macros, the element types), and
/// the workspace parameter.
static bool isReservedIdentifier(StringRef name) {
  static constexpr const char *kReserved[] = {
      // C (through C23).
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "alignas", "alignof",
      "constexpr", "nullptr", "static_assert", "thread_local", "typeof",
      "typeof_unqual", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex",
      "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
      // C++ (the header is usable from C++).
      "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t", "char16_t",
      "char32_t", "class", "compl", "concept", "consteval", "constinit",
      "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete",
      "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace",
      "new", "noexcept", "not", "not_eq", "operator", "or", "or_eq", "private",
      "protected", "public", "reinterpret_cast", "requires", "static_cast",
      "template", "this", "throw", "try", "typeid", "typename", "using",
      "virtual", "wchar_t", "xor", "xor_eq",
      // Macros and types of the included headers used in the prototype.
      "bool", "true", "false", "NULL", "size_t", "int8_t", "int16_t", "int32_t",
      "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      // The other parameter.
      "workspace"};
  return llvm::is_contained(kReserved, name);
}

/// A C identifier derived from a tensor name (parameter names only), distinct
/// from those in `used`, which it is added to.
static std::string cIdentifier(StringRef name, size_t index,
                               llvm::StringSet<> &used) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) ? c : '_');
  if (result.empty() || llvm::isDigit(result.front()))
    result.insert(0, "t" + std::to_string(index) + "_");
  if (isReservedIdentifier(result))
    result += "_";
  // Two names may map to one identifier ("a.b" and "a_b").
  if (used.contains(result))
    result += "_" + std::to_string(index);
  while (used.contains(result))
    result += "_";
  used.insert(result);
  return result;
}

/// Escapes text for a C comment.
static std::string commentSafe(StringRef text) {
  std::string result = text.str();
  for (size_t pos; (pos = result.find("*/")) != std::string::npos;)
    result.replace(pos, 2, "* /");
  return result;
}

static std::string describe(const ModelSignature::Tensor &tensor) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << cType(tensor.elementType) << "[";
  llvm::interleave(tensor.shape, os, "][");
  os << "]";
  if (tensor.elementType.isF16())
    os << " (float16 bits)";
  if (tensor.elementType.isBF16())
    os << " (bfloat16 bits)";
  if (int32_t code = getLowPrecisionOnnxCode(tensor.elementType)) {
    static const char *notes[] = {" (float8e4m3fn bits)",
                                  " (float8e4m3fnuz bits)",
                                  " (float8e5m2 bits)",
                                  " (float8e5m2fnuz bits)",
                                  " (uint4, one per byte)",
                                  " (int4 in the low nibble)",
                                  " (float4e2m1 in the low nibble)"};
    os << notes[code - kOnnxFloat8E4M3FN];
  }
  return text;
}

std::string kiln::generateHeader(const ModelSignature &sig, StringRef source) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string guard = StringRef(sig.name).upper() + "_H";
  const std::string &n = sig.name;
  os << "/* " << n << ".h - generated by kiln from " << commentSafe(source)
     << ". Do not edit.\n"
     << " *\n"
     << " * Inputs (dense, row-major):\n";
  for (const auto &t : sig.inputs)
    os << " *   " << commentSafe(t.name) << ": " << describe(t) << "\n";
  os << " * Outputs:\n";
  for (const auto &t : sig.outputs)
    os << " *   " << commentSafe(t.name) << ": " << describe(t) << "\n";
  os << " *\n"
     << " * Link with lib" << n << ".a (or lib" << n
     << ".so) and libkiln_runtime.\n"
     << " */\n\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#include \"kiln/runtime.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  os << "/* Bytes of scratch memory " << n << "_run() needs ("
     << sig.workspaceSize << "). */\n"
     << "#define " << StringRef(n).upper() << "_WORKSPACE_SIZE "
     << sig.workspaceSize << "\n"
     << "size_t " << n << "_workspace_size(void);\n\n";

  os << "/* Runs the model. Every pointer must be non-NULL; `workspace` must\n"
     << " * hold " << n << "_workspace_size() bytes aligned to "
     << "KILN_WORKSPACE_ALIGNMENT\n"
     << " * (it may be NULL when that size is 0). Returns KILN_OK, or a\n"
     << " * kiln_status with kiln_last_error() saying why. Re-entrant: "
        "threads\n"
     << " * may run the model at once with separate workspaces. */\n"
     << "int " << n << "_run(";
  size_t index = 0;
  llvm::StringSet<> used;
  for (const auto &t : sig.inputs)
    os << "const " << cType(t.elementType) << " *"
       << cIdentifier(t.name, index++, used) << ", ";
  for (const auto &t : sig.outputs)
    os << cType(t.elementType) << " *" << cIdentifier(t.name, index++, used)
       << ", ";
  os << "void *workspace);\n\n";

  os << "/* Names, element types and shapes of the inputs and outputs, for\n"
     << " * generic loaders (see kiln_model_run). */\n"
     << "const kiln_model_info *" << n << "_info(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
