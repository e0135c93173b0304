include(GoogleTest)

# A ctest fixture that writes the test PKI once per test run; tests that need it find it
# through the ONSHI_TEST_PKI environment variable.
set(ONSHI_TEST_PKI_DIR ${PROJECT_BINARY_DIR}/test-pki)

# The tests of the parsers below the link layer (APDU, CCID and the host driver, USB/IP and its
# TCP stream, vpcd, ONS messages and wire formats) and of onshi_core beneath them:
# label `codec` (fuzz replays, and whole gtest binaries in the sanitizer build), built by this
# target. They need none of the mocks' servers, the CLI or the test PKI, so
# scripts/sanitize.sh --ci builds just these under ASan + UBSan next to CI's main job.
add_custom_target(onshi_codec_tests)

# onshi_add_gtest(NAME LABEL SOURCES ... LIBS ... [NEEDS_PKI] [CODEC] [RESOURCE_GROUPS "ccid_reader:1"])
# One test binary; each GoogleTest case becomes its own ctest test carrying LABEL (and the
# CTest RESOURCE_GROUPS it needs, docs/rig-resources.md). CODEC: also label `codec` (above).
function(onshi_add_gtest name)
  cmake_parse_arguments(ARG "NEEDS_PKI;CODEC" "LABEL;TIMEOUT;RESOURCE_GROUPS" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main onshi_warnings)
  if(ARG_CODEC)
    add_dependencies(onshi_codec_tests ${name})
    # The whole binary as one test labelled `codec` (CMake 3.25's gtest_discover_tests cannot
    # give its cases a second label); only in the sanitizer build, where sanitize.sh --ci runs it.
    if(ONSHI_SANITIZER_BUILD)
      add_test(NAME codec.${name} COMMAND ${name})
      set_tests_properties(codec.${name} PROPERTIES LABELS codec TIMEOUT ${ARG_TIMEOUT})
    endif()
  endif()
  set(props LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT})
  if(ARG_RESOURCE_GROUPS)
    list(APPEND props RESOURCE_GROUPS ${ARG_RESOURCE_GROUPS})
  endif()
  if(ARG_NEEDS_PKI)
    list(APPEND props FIXTURES_REQUIRED test_pki ENVIRONMENT "ONSHI_TEST_PKI=${ONSHI_TEST_PKI_DIR}")
  endif()
  gtest_discover_tests(${name} TEST_PREFIX "${ARG_LABEL}." DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()
