# Runtime dependencies of the bulwark libraries. Included by the build and by
# the installed bulwarkConfig.cmake, so consumers get the same imported targets.
include_guard(GLOBAL)
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
pkg_check_modules(XCRYPT REQUIRED IMPORTED_TARGET GLOBAL libxcrypt)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET GLOBAL libutf8proc)

# libzxcvbn ships no pkg-config or CMake file.
find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
find_library(ZXCVBN_LIBRARY zxcvbn REQUIRED)
if(NOT TARGET bulwark_deps::zxcvbn)
  add_library(bulwark_deps::zxcvbn UNKNOWN IMPORTED GLOBAL)
  set_target_properties(bulwark_deps::zxcvbn PROPERTIES
    IMPORTED_LOCATION ${ZXCVBN_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${ZXCVBN_INCLUDE_DIR})
endif()
