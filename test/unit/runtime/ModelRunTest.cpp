//===- ModelRunTest.cpp - kiln_model_run's checks and kiln_last_error
//------===//
//
// Part of Kiln. A hand-made kiln_model_info whose run function adds two
// float32 [2, 3] inputs, as generated code would describe it.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <thread>

namespace {

const int64_t kShape[] = {2, 3};
const kiln_tensor_info kInputs[] = {{"x", KILN_FLOAT32, 2, kShape},
                                    {"y", KILN_FLOAT32, 2, kShape}};
const kiln_tensor_info kOutputs[] = {{"sum", KILN_FLOAT32, 2, kShape}};
int runCalls = 0;

int addModel(const void *const *inputs, void *const *outputs, void *workspace) {
  ++runCalls;
  auto *scratch = static_cast<float *>(workspace);
  const auto *x = static_cast<const float *>(inputs[0]);
  const auto *y = static_cast<const float *>(inputs[1]);
  for (int i = 0; i < 6; ++i)
    scratch[i] = x[i] + y[i];
  std::memcpy(outputs[0], scratch, 6 * sizeof(float));
  return KILN_OK;
}

kiln_model_info makeInfo() {
  kiln_model_info info = {};
  info.abi_version = KILN_ABI_VERSION;
  info.num_inputs = 2;
  info.num_outputs = 1;
  info.name = "add";
  info.inputs = kInputs;
  info.outputs = kOutputs;
  info.workspace_size = 128;
  info.workspace_alignment = 64;
  info.run = addModel;
  return info;
}

/// Aligned buffers for one call, reused by every test.
struct Call {
  alignas(64) float x[6] = {1, 2, 3, 4, 5, 6};
  alignas(64) float y[6] = {10, 20, 30, 40, 50, 60};
  alignas(64) float sum[6] = {};
  alignas(64) unsigned char workspace[256];
  const void *inputs[2] = {x, y};
  void *outputs[1] = {sum};

  int run(const kiln_model_info *info, size_t workspaceSize = 128) {
    return kiln_model_run(info, inputs, outputs, workspace, workspaceSize);
  }
};

bool errorMentions(const char *text) {
  return std::strstr(kiln_last_error(), text) != nullptr;
}

} // namespace

TEST_CASE("kiln_model_run runs a valid model", "[runtime][status]") {
  kiln_model_info info = makeInfo();
  Call call;
  runCalls = 0;
  REQUIRE(call.run(&info) == KILN_OK);
  CHECK(runCalls == 1);
  CHECK(call.sum[0] == 11);
  CHECK(call.sum[5] == 66);
  // A model without a workspace accepts NULL.
  info.workspace_size = 0;
  info.run = [](const void *const *, void *const *, void *workspace) -> int {
    return workspace == nullptr ? KILN_OK : KILN_ERROR_INTERNAL;
  };
  CHECK(kiln_model_run(&info, call.inputs, call.outputs, nullptr, 0) ==
        KILN_OK);
}

TEST_CASE("kiln_model_run rejects NULL pointers, naming them",
          "[runtime][status]") {
  kiln_model_info info = makeInfo();
  Call call;
  runCalls = 0;
  CHECK(call.run(nullptr) == KILN_ERROR_NULL_POINTER);
  CHECK(errorMentions("model info is NULL"));

  CHECK(kiln_model_run(&info, nullptr, call.outputs, call.workspace, 128) ==
        KILN_ERROR_NULL_POINTER);
  CHECK(errorMentions("inputs array is NULL"));

  call.inputs[1] = nullptr;
  CHECK(call.run(&info) == KILN_ERROR_NULL_POINTER);
  CHECK(errorMentions("input 1 ('y') is NULL"));
  call.inputs[1] = call.y;

  call.outputs[0] = nullptr;
  CHECK(call.run(&info) == KILN_ERROR_NULL_POINTER);
  CHECK(errorMentions("output 0 ('sum') is NULL"));
  call.outputs[0] = call.sum;

  CHECK(kiln_model_run(&info, call.inputs, call.outputs, nullptr, 128) ==
        KILN_ERROR_NULL_POINTER);
  CHECK(errorMentions("workspace is NULL"));
  CHECK(runCalls == 0);
}

TEST_CASE("kiln_model_run checks the workspace", "[runtime][status]") {
  kiln_model_info info = makeInfo();
  Call call;
  runCalls = 0;
  CHECK(call.run(&info, 127) == KILN_ERROR_WORKSPACE_TOO_SMALL);
  CHECK(errorMentions("workspace has 127 bytes but the model needs 128"));

  CHECK(kiln_model_run(&info, call.inputs, call.outputs, call.workspace + 32,
                       200) == KILN_ERROR_MISALIGNED);
  CHECK(errorMentions("not aligned to 64 bytes"));

  // A model may ask for more than KILN_WORKSPACE_ALIGNMENT.
  alignas(256) static unsigned char big[512];
  info.workspace_alignment = 256;
  CHECK(kiln_model_run(&info, call.inputs, call.outputs, big + 64, 256) ==
        KILN_ERROR_MISALIGNED);
  CHECK(errorMentions("not aligned to 256 bytes"));
  CHECK(runCalls == 0);
}

TEST_CASE("kiln_model_run checks tensor alignment", "[runtime][status]") {
  kiln_model_info info = makeInfo();
  Call call;
  alignas(8) unsigned char bytes[64] = {};
  call.inputs[0] = bytes + 2;
  CHECK(call.run(&info) == KILN_ERROR_MISALIGNED);
  CHECK(errorMentions("input 0 ('x')"));
  CHECK(errorMentions("element size (4 bytes)"));
  call.inputs[0] = call.x;
  call.outputs[0] = bytes + 1;
  CHECK(call.run(&info) == KILN_ERROR_MISALIGNED);
  CHECK(errorMentions("output 0 ('sum')"));
}

TEST_CASE("kiln_model_run rejects invalid model infos", "[runtime][status]") {
  Call call;
  runCalls = 0;
  kiln_model_info info = makeInfo();
  info.abi_version = KILN_ABI_VERSION + 1;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("ABI version 2"));

  info = makeInfo();
  info.run = nullptr;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("no run function"));

  info = makeInfo();
  info.num_outputs = -1;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("negative output count"));

  info = makeInfo();
  info.inputs = nullptr;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("no input descriptors"));

  kiln_tensor_info bad[] = {kInputs[0], {"y", 99, 2, kShape}};
  info = makeInfo();
  info.inputs = bad;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("input 1 ('y') has unknown dtype 99"));

  bad[1] = {"y", KILN_FLOAT32, 2, nullptr};
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("input 1 ('y') has an invalid shape"));

  info = makeInfo();
  info.workspace_alignment = 48;
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("alignment 48 is not a power of two"));
  CHECK(runCalls == 0);
}

TEST_CASE("kiln_model_run reports the model's own failures",
          "[runtime][status]") {
  Call call;
  kiln_model_info info = makeInfo();
  info.run = [](const void *const *, void *const *, void *) {
    return static_cast<int>(KILN_ERROR_INVALID_ARGUMENT);
  };
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(errorMentions("model 'add' failed with status 4 (invalid argument)"));

  info.run = [](const void *const *, void *const *, void *) {
    kiln_set_last_error("dimension 'batch' must be positive");
    return static_cast<int>(KILN_ERROR_INVALID_ARGUMENT);
  };
  CHECK(call.run(&info) == KILN_ERROR_INVALID_ARGUMENT);
  CHECK(std::string(kiln_last_error()) == "dimension 'batch' must be positive");

  info.run = [](const void *const *, void *const *, void *) { return 42; };
  CHECK(call.run(&info) == KILN_ERROR_INTERNAL);
  CHECK(errorMentions("unknown status 42"));
}

TEST_CASE("kiln_last_error is per thread", "[runtime][status]") {
  kiln_set_last_error("main thread");
  std::string other;
  std::thread([&] {
    other = kiln_last_error();
    kiln_set_last_error("other thread");
  }).join();
  CHECK(other.empty());
  CHECK(std::string(kiln_last_error()) == "main thread");
  kiln_set_last_error(nullptr);
  CHECK(std::string(kiln_last_error()).empty());
  // Long messages are truncated, not overflowed.
  std::string longMessage(5000, 'x');
  kiln_set_last_error(longMessage.c_str());
  CHECK(std::strlen(kiln_last_error()) < longMessage.size());
}
