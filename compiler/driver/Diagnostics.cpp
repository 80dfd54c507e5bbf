//===- Diagnostics.cpp - How the kiln tool reports problems ---------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {
/// The parts of an importer location: FusedLoc<opType>[NameLoc(node, file)].
struct LocationParts {
  std::string file, node, opType;
};
} // namespace

static void collectParts(Location loc, LocationParts &parts) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    if (auto type = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      parts.opType = type.str();
    for (Location inner : fused.getLocations())
      collectParts(inner, parts);
  } else if (auto name = dyn_cast<NameLoc>(loc)) {
    if (parts.node.empty())
      parts.node = name.getName().str();
    collectParts(name.getChildLoc(), parts);
  } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    parts.file = file.getFilename().str();
    if (file.getLine() > 0)
      parts.file += ":" + std::to_string(file.getLine()) + ":" +
                    std::to_string(file.getColumn());
  } else if (auto callSite = dyn_cast<CallSiteLoc>(loc)) {
    collectParts(callSite.getCallee(), parts);
  }
}

std::string kiln::describeLocation(Location loc) {
  LocationParts parts;
  collectParts(loc, parts);
  std::string result;
  if (!parts.file.empty())
    result += parts.file + ": ";
  if (!parts.opType.empty())
    result += "node '" + parts.node + "' (" + parts.opType + "): ";
  else if (!parts.node.empty())
    result += "'" + parts.node + "': ";
  return result;
}

ToolDiagnosticHandler::ToolDiagnosticHandler(MLIRContext &context,
                                             llvm::raw_ostream &os)
    : context(context), os(os) {
  id = context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
    print(diag);
    return success();
  });
}

ToolDiagnosticHandler::~ToolDiagnosticHandler() {
  context.getDiagEngine().eraseHandler(id);
}

static StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

void ToolDiagnosticHandler::print(Diagnostic &diag) {
  if (diag.getSeverity() == DiagnosticSeverity::Error)
    ++numErrors;
  os << "kiln: " << severityName(diag.getSeverity()) << ": "
     << describeLocation(diag.getLocation()) << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    os << "kiln: note: " << describeLocation(note.getLocation()) << note.str()
       << "\n";
  os.flush();
}
