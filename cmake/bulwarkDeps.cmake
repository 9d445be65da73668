# Runtime dependencies of the bulwark libraries. Included by the build and by
# the installed bulwarkConfig.cmake, so consumers get the same imported
# targets the exported libraries link to. Every module's third-party
# libraries are found here (module CMakeLists may repeat a find; it is a no-op).
include_guard(GLOBAL)
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
pkg_check_modules(XCRYPT REQUIRED IMPORTED_TARGET GLOBAL libxcrypt)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET GLOBAL libutf8proc)
# db
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET GLOBAL sqlite3>=3.37)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET GLOBAL libpq>=13)
# validate, auth, http
find_package(simdjson CONFIG REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET GLOBAL re2)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET GLOBAL libqrencode)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET GLOBAL hiredis)
find_package(spdlog REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url)
# net, xml
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET GLOBAL libcurl>=7.85)
find_package(LibXml2 2.9 REQUIRED)

# libzxcvbn ships no pkg-config or CMake file.
find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
find_library(ZXCVBN_LIBRARY zxcvbn REQUIRED)
if(NOT TARGET bulwark_deps::zxcvbn)
  add_library(bulwark_deps::zxcvbn UNKNOWN IMPORTED GLOBAL)
  set_target_properties(bulwark_deps::zxcvbn PROPERTIES
    IMPORTED_LOCATION ${ZXCVBN_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${ZXCVBN_INCLUDE_DIR})
endif()
