# cmake --install: headers, static libraries, a CMake package
# (find_package(bulwark) -> bulwark::core, bulwark::crypto, ...) and bulwark.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(targets GLOBAL PROPERTY BULWARK_EXPORTED_TARGETS)
install(TARGETS ${targets} EXPORT bulwarkTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${BULWARK_ROOT}/include/bulwark DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS bulwark RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/bulwark)
install(EXPORT bulwarkTargets NAMESPACE bulwark:: DESTINATION ${cmake_dir})
configure_package_config_file(${BULWARK_ROOT}/cmake/bulwarkConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/bulwarkConfig.cmake INSTALL_DESTINATION ${cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/bulwarkConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bulwarkConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/bulwarkConfigVersion.cmake
              ${BULWARK_ROOT}/cmake/bulwarkDeps.cmake
        DESTINATION ${cmake_dir})

# pkg-config: libraries listed dependents first.
set(pc_libs "")
foreach(t IN LISTS targets)
  get_target_property(name ${t} OUTPUT_NAME)
  string(PREPEND pc_libs "-l${name} ")
endforeach()
configure_file(${BULWARK_ROOT}/cmake/bulwark.pc.in ${CMAKE_CURRENT_BINARY_DIR}/bulwark.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bulwark.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
