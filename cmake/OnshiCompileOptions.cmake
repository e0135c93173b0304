# Warning flags shared by every target of the project (not by third-party code).
# No -Wnull-dereference: with GCC 12 at -O2 it fires inside libstdc++ (streambuf, regex)
# inlined into our code, where we cannot fix it.
add_library(onshi_warnings INTERFACE)
target_compile_options(onshi_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${ONSHI_WARNINGS_AS_ERRORS}>:-Werror>)

# onshi_library(NAME SOURCES ... DEPS ...): a static library of one area.
function(onshi_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/harness/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE onshi_warnings ${ARG_PRIVATE_DEPS})
endfunction()
