# The source revision `onshi-hil --version` prints beside PROJECT_VERSION: `git describe` at
# configure time (tag or commit, "-dirty" with uncommitted changes). Outside a git checkout (a
# source tarball) it says so, unless the packager sets -DONSHI_SOURCE_REVISION=....
set(ONSHI_SOURCE_REVISION "" CACHE STRING "Source revision for --version (empty: git describe at configure time)")
set(onshi_revision "${ONSHI_SOURCE_REVISION}")
if(onshi_revision STREQUAL "")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --tags --always --dirty
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE onshi_revision OUTPUT_STRIP_TRAILING_WHITESPACE
      ERROR_QUIET RESULT_VARIABLE onshi_git_result)
    if(NOT onshi_git_result EQUAL 0)
      set(onshi_revision "")
    endif()
  endif()
endif()
if(onshi_revision STREQUAL "")
  set(onshi_revision "unknown (not built from a git checkout)")
endif()
set(ONSHI_REVISION "${onshi_revision}")
# Only main.cpp includes the generated header, so a new revision recompiles one file.
configure_file(${CMAKE_CURRENT_LIST_DIR}/onshi_version.hpp.in ${PROJECT_BINARY_DIR}/generated/onshi_version.hpp @ONLY)
