# `cmake --install`: the libraries with their public headers and exported targets (a CMake
# package, find_package(onshi-hil 0.1 CONFIG REQUIRED)), the CLI and the standalone mock, and
# the data they read (rigs/, rigs/readers/, fixtures/ with the scenario catalogue).
#
#   <prefix>/bin/onshi-hil, onshi-ons-mock                         component Runtime
#   <prefix>/share/onshi-hil/{rigs,fixtures}/                     component Runtime
#   <prefix>/include/onshi/…, <prefix>/lib/libonshi_*.a           component Development
#   <prefix>/lib/cmake/onshi-hil/onshi-hil-{config,config-version,targets}.cmake
#
# Every library target under harness/, mocks/ and testing/ is exported, found by walking those
# folders, so a new area's library is packaged without an edit here. Each is exported as
# onshi::<name without onshi_> (onshi_mock_ons -> onshi::mock_ons); three umbrella targets
# spare a vendor the list: onshi::harness (every harness library), onshi::mocks (the virtual
# card, the emulated reader, the mock ONS and its command line), onshi::links_builtin (the rig
# with every link backend linked whole) and onshi::testing (the testing library).
include(CMakePackageConfigHelpers)

set(ONSHI_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/onshi-hil)
set(ONSHI_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/onshi-hil)

# onshi_collect_libraries(OUT DIR): the library targets defined in DIR and below.
function(onshi_collect_libraries out dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  set(found)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|INTERFACE_LIBRARY)$" AND target MATCHES "^onshi_")
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    onshi_collect_libraries(below ${subdir})
    list(APPEND found ${below})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

onshi_collect_libraries(onshi_harness_libraries ${PROJECT_SOURCE_DIR}/harness)
onshi_collect_libraries(onshi_mocks_libraries ${PROJECT_SOURCE_DIR}/mocks)
set(onshi_testing_libraries)
if(TARGET onshi_testing)
  onshi_collect_libraries(onshi_testing_libraries ${PROJECT_SOURCE_DIR}/testing)
endif()
get_property(onshi_backend_libraries GLOBAL PROPERTY ONSHI_LINK_BACKEND_LIBRARIES)

# The umbrellas. Backend libraries stay out of them: they register from static initialisers
# and are only any use linked whole, through onshi::links_builtin.
add_library(onshi_harness INTERFACE)
add_library(onshi::harness ALIAS onshi_harness)
add_library(onshi_mocks INTERFACE)
add_library(onshi::mocks ALIAS onshi_mocks)
foreach(lib IN LISTS onshi_harness_libraries)
  if(NOT lib IN_LIST onshi_backend_libraries)
    target_link_libraries(onshi_harness INTERFACE ${lib})
  endif()
endforeach()
foreach(lib IN LISTS onshi_mocks_libraries)
  if(NOT lib IN_LIST onshi_backend_libraries)
    target_link_libraries(onshi_mocks INTERFACE ${lib})
  endif()
endforeach()

set(onshi_exported onshi_warnings onshi_links_builtin onshi_harness onshi_mocks ${onshi_harness_libraries}
  ${onshi_mocks_libraries} ${onshi_testing_libraries})
list(REMOVE_DUPLICATES onshi_exported)
foreach(lib IN LISTS onshi_exported)
  string(REGEX REPLACE "^onshi_" "" export_name ${lib})
  set_target_properties(${lib} PROPERTIES EXPORT_NAME ${export_name})
endforeach()

install(TARGETS ${onshi_exported} EXPORT onshi-hil-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT onshi-hil-targets NAMESPACE onshi:: DESTINATION ${ONSHI_INSTALL_CMAKEDIR} COMPONENT Development)

# Public headers: every include/ folder a library exports. Private headers stay in src/.
set(onshi_header_dirs harness/include mocks/card/include mocks/reader/include mocks/ons/include)
if(TARGET onshi_testing)
  list(APPEND onshi_header_dirs testing/include)
endif()
foreach(dir IN LISTS onshi_header_dirs)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${dir})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development)
  endif()
endforeach()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/onshi-hil-config.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/onshi-hil-config.cmake
  INSTALL_DESTINATION ${ONSHI_INSTALL_CMAKEDIR}
  PATH_VARS ONSHI_INSTALL_DATADIR CMAKE_INSTALL_BINDIR)
# 0.x: a minor version may break the interface, so 0.1 accepts 0.1.* only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/onshi-hil-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/packaging/onshi-hil-config.cmake
  ${PROJECT_BINARY_DIR}/packaging/onshi-hil-config-version.cmake
  DESTINATION ${ONSHI_INSTALL_CMAKEDIR} COMPONENT Development)

# The programs and their data, laid out as onshi/config/data_paths.hpp looks for it
# (<bin>/../share/onshi-hil/{fixtures,rigs}).
install(TARGETS onshi-hil onshi-ons-mock RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rigs ${PROJECT_SOURCE_DIR}/fixtures
  DESTINATION ${ONSHI_INSTALL_DATADIR} COMPONENT Runtime)
