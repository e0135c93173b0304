# Install directories (lib, include, share, bin) used by data paths, install rules and the package.
include(GNUInstallDirs)

# Warning flags shared by every target of the project (not by third-party code).
# No -Wnull-dereference: with GCC 12 at -O2 it fires inside libstdc++ (streambuf, regex)
# inlined into our code, where we cannot fix it.
add_library(onshi_warnings INTERFACE)
target_compile_options(onshi_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${ONSHI_WARNINGS_AS_ERRORS}>:-Werror>)
# In a unity build (CMAKE_UNITY_BUILD, docs/building.md) every source file is #included into a
# generated one, so GCC sees a class defined there using a type from that file's anonymous
# namespace as a header's class doing so (-Wsubobject-linkage: an ODR hazard in a header included
# twice). Each source is still compiled exactly once, so the warning is off in unity builds only.
if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(onshi_warnings INTERFACE -Wno-subobject-linkage)
endif()

# onshi_library(NAME SOURCES ... DEPS ...): a static library of one area.
function(onshi_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  # The installed include directory comes from install(TARGETS … INCLUDES DESTINATION) in
  # cmake/OnshiInstall.cmake.
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/harness/include>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE onshi_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# onshi_link_backends(LIB): LIB holds link backends that register themselves from static
# initialisers (ONSHI_REGISTER_LINK_BACKEND, onshi/links/registry.hpp). Nothing refers to
# those objects, so a normal static link would drop them: onshi_links_builtin (made by
# onshi_make_links_builtin at the end of the top-level CMakeLists.txt) links each whole.
function(onshi_link_backends lib)
  set_property(GLOBAL APPEND PROPERTY ONSHI_LINK_BACKEND_LIBRARIES ${lib})
endfunction()

# onshi_links_builtin: the rig plus every registered link backend, for programs (the CLI,
# tests, benches, vendors' suites) that wire rigs. $<LINK_LIBRARY:WHOLE_ARCHIVE,…> (CMake
# >= 3.24) survives install(EXPORT), so an installed onshi::links_builtin still takes each
# backend library whole in a vendor's own build.
function(onshi_make_links_builtin)
  add_library(onshi_links_builtin INTERFACE)
  add_library(onshi::links_builtin ALIAS onshi_links_builtin)
  target_link_libraries(onshi_links_builtin INTERFACE onshi_rig)
  get_property(backends GLOBAL PROPERTY ONSHI_LINK_BACKEND_LIBRARIES)
  foreach(lib IN LISTS backends)
    # install(EXPORT) does not rename targets inside LINK_LIBRARY, so the installed side names
    # the exported target itself (onshi_x is exported as onshi::x, cmake/OnshiInstall.cmake).
    string(REGEX REPLACE "^onshi_" "onshi::" exported ${lib})
    target_link_libraries(onshi_links_builtin INTERFACE "$<BUILD_INTERFACE:$<LINK_LIBRARY:WHOLE_ARCHIVE,${lib}>>"
      "$<INSTALL_INTERFACE:$<LINK_LIBRARY:WHOLE_ARCHIVE,${exported}>>")
  endforeach()
endfunction()
