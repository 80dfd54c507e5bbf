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
# Debian's interpreter, which has python3-torch and python3-torchvision
# (test/models exports PyTorch models with it).
config.substitutions.append(("%torch-python", "/usr/bin/python3"))
config.substitutions.append(("%onnx_testdata", config.onnx_testdata_dir))
config.substitutions.append(("%kiln_src_root", config.kiln_src_root))
config.substitutions.append(("%kiln_obj_root", config.kiln_obj_root))

# `aarch64-cross`: test/compiler/codegen/cpu links AArch64 programs with the
# GNU cross toolchain and runs them under qemu-user (scripts/install-deps
# installs both; the build then cross-compiles lib/aarch64-linux-gnu/).
if all(lit.util.which(tool, config.environment["PATH"])
       for tool in ["aarch64-linux-gnu-gcc", "qemu-aarch64"]):
    config.available_features.add("aarch64-cross")


def sanitized_build(build_dir):
    """True when build_dir was configured with KILN_ENABLE_SANITIZERS."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("KILN_ENABLE_SANITIZERS:"):
                    value = line.split("=", 1)[1].strip().upper()
                    return value in ("ON", "TRUE", "YES", "Y", "1")
    except OSError:
        pass
    return False


# `kiln-sanitizers`: a sanitizer build (scripts/test --sanitize), where
# libkiln_runtime.a is instrumented, so a model's libm.so needs ASan's
# runtime, which a plain Python process has not loaded: tests that dlopen it
# from Python are UNSUPPORTED there (test/e2e's threads.test still runs: its
# program is linked with -fsanitize), and the public model suite
# (test/models) is too slow under the sanitizers.
if sanitized_build(config.kiln_obj_root):
    config.available_features.add("kiln-sanitizers")
