# -*- Python -*- lit configuration for Kiln.

import os

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()

# Kiln's tools come first, then LLVM's (FileCheck, not, split-file).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.kiln_tools_dir, append_path=True)
# `=` joins the characters that may not precede a tool name, so that
# `--emit=kiln` stays an option value instead of becoming a path.
tools = [ToolSubst(name, pre=r".-^/\<=")
         for name in ["kiln", "kiln-opt", "kiln-unit-tests"]]
llvm_config.add_tool_substitutions(tools, [config.kiln_tools_dir])

# `%onnx-encode < model.onnxtxt > model.onnx` turns a text-format ONNX model
# into the binary protobuf the importer reads.
onnx_include = os.path.dirname(config.onnx_proto)
config.substitutions.append(
    ("%onnx-encode",
     f"{config.protoc} --encode=onnx.ModelProto -I {onnx_include} "
     f"{config.onnx_proto}"))
# `%onnx-decode < model.onnx` prints a binary model as text (to FileCheck it).
config.substitutions.append(
    ("%onnx-decode",
     f"{config.protoc} --decode=onnx.ModelProto -I {onnx_include} "
     f"{config.onnx_proto}"))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%onnx_testdata", config.onnx_testdata_dir))
config.substitutions.append(("%kiln_src_root", config.kiln_src_root))
config.substitutions.append(("%kiln_obj_root", config.kiln_obj_root))

# `aarch64-cross`: test/compiler/codegen/cpu links AArch64 programs with the
# GNU cross toolchain and runs them under qemu-user (scripts/install-deps
# installs both; the build then cross-compiles lib/aarch64-linux-gnu/).
if all(lit.util.which(tool, config.environment["PATH"])
       for tool in ["aarch64-linux-gnu-gcc", "qemu-aarch64"]):
    config.available_features.add("aarch64-cross")
